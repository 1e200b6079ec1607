-- Sessions that can end (docs/api.md "Sessions"). A login (verify_otp) starts a session and
-- hands out a refresh token; each refresh spends that token and issues the next one. The
-- short-lived access token names its session, and every authenticated call checks that the
-- session is live and the account active (api.authenticate), so that logout, logout-all, a
-- reused refresh token or a deactivated account cut a client off at once.

ALTER TABLE store.users ADD COLUMN is_active boolean NOT NULL DEFAULT TRUE;
COMMENT ON COLUMN store.users.is_active IS
'False once staff or a DBA deactivate the account: no login, no refresh, 403 account_disabled on every call.';

-- Never read: sessions took over what it was meant for (revoking tokens).
ALTER TABLE store.users DROP COLUMN token_version;

CREATE TABLE store.sessions (
    user_id bigint NOT NULL REFERENCES store.users (id) ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_ip inet,
    refreshed_at timestamptz,
    refreshed_ip inet,
    ended_at timestamptz,
    end_reason text,
    PRIMARY KEY (user_id, id),
    CONSTRAINT sessions_end_reason_valid CHECK (
        end_reason IN ('logout', 'logout_all', 'refresh_token_reused')
    ),
    CONSTRAINT sessions_ended_with_a_reason CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);

COMMENT ON TABLE store.sessions IS
'One row per login: verify_otp starts it; logout, logout_all or a reused refresh token end it.';
COMMENT ON COLUMN store.sessions.user_id IS 'The user logged in.';
COMMENT ON COLUMN store.sessions.id IS 'Session id; the access token carries it (claim sid).';
COMMENT ON COLUMN store.sessions.created_at IS 'When the user logged in.';
COMMENT ON COLUMN store.sessions.created_ip IS 'Client address of the login.';
COMMENT ON COLUMN store.sessions.refreshed_at IS 'Last refresh (POST /auth/refresh), if any.';
COMMENT ON COLUMN store.sessions.refreshed_ip IS 'Client address of the last refresh.';
COMMENT ON COLUMN store.sessions.ended_at IS
'When the session ended; its access and refresh tokens are refused from then on.';
COMMENT ON COLUMN store.sessions.end_reason IS
'logout, logout_all (every session of the user), or refresh_token_reused (a spent token came back: theft).';

-- Refresh tokens, as keyed hashes only. The token is '<user id>.<43 random base64url chars>',
-- so that a lookup names its user (and its shard).
CREATE TABLE store.refresh_tokens (
    user_id bigint NOT NULL,
    token_hash bytea NOT NULL,
    session_id bigint NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (user_id, token_hash),
    CONSTRAINT refresh_tokens_session_fkey FOREIGN KEY (user_id, session_id)
    REFERENCES store.sessions (user_id, id) ON DELETE CASCADE,
    CONSTRAINT refresh_tokens_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT refresh_tokens_expiry_after_issue CHECK (expires_at > issued_at),
    CONSTRAINT refresh_tokens_used_after_issue CHECK (used_at >= issued_at)
);

CREATE INDEX refresh_tokens_session ON store.refresh_tokens (user_id, session_id);

COMMENT ON TABLE store.refresh_tokens IS
'Every refresh token of a session: one live; spent ones stay, so that a replay is recognised.';
COMMENT ON COLUMN store.refresh_tokens.user_id IS 'Owner of the session.';
COMMENT ON COLUMN store.refresh_tokens.token_hash IS
'HMAC-SHA256 of the token, keyed with the server refresh-token key; the token is never stored.';
COMMENT ON COLUMN store.refresh_tokens.session_id IS 'The session (login) the token belongs to.';
COMMENT ON COLUMN store.refresh_tokens.issued_at IS 'When the token was handed out.';
COMMENT ON COLUMN store.refresh_tokens.expires_at IS 'The token is refused after this time.';
COMMENT ON COLUMN store.refresh_tokens.used_at IS
'When the token was spent on a refresh; presenting it again ends its session.';
