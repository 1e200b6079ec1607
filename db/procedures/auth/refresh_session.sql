-- refresh_session: POST /auth/refresh. Spends a refresh token and issues the next one of its
-- session. A token works once: presenting a spent one is treated as theft, and its session
-- ends, which revokes every token of that login, the newest included.
-- Locks the token's row, then its session's (FOR UPDATE), so two refreshes with one token
-- queue and exactly one succeeds; the other finds it spent and counts as reuse, which ends the
-- session (the winner's new tokens included): clients must refresh one request at a time.
-- Raises: JK401 invalid_refresh_token (malformed, unknown, expired, or its session ended),
-- JK401 unauthorized (closed account), JK403 account_disabled. Returns internal.problem 401
-- refresh_token_reused, so that ending the session is kept.
-- Returns the shape of a login (verify_otp) with is_new_user false.
CREATE FUNCTION api.refresh_session(
    p_refresh_token text, p_refresh_key bytea, p_client_ip inet DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_user_id bigint;
    v_token store.refresh_tokens;
    v_session store.sessions;
    v_user store.users;
BEGIN
    -- A user id of up to 18 digits (any bigint id this store will reach) casts safely.
    IF p_refresh_token IS NULL OR p_refresh_token !~ '^[1-9][0-9]{0,17}\.[A-Za-z0-9_-]{43}$' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'invalid_refresh_token',
            DETAIL = 'This is not a refresh token; log in again';
    END IF;
    v_user_id := split_part(p_refresh_token, '.', 1)::bigint;

    SELECT * INTO v_token
    FROM store.refresh_tokens
    WHERE user_id = v_user_id
        AND token_hash = internal.refresh_token_hash(p_refresh_token, p_refresh_key)
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'invalid_refresh_token',
            DETAIL = 'Unknown refresh token; log in again';
    END IF;
    SELECT * INTO STRICT v_session
    FROM store.sessions
    WHERE user_id = v_token.user_id AND id = v_token.session_id
    FOR UPDATE;

    IF v_token.used_at IS NOT NULL THEN
        UPDATE store.sessions SET ended_at = now(), end_reason = 'refresh_token_reused'
        WHERE user_id = v_session.user_id AND id = v_session.id AND ended_at IS NULL;
        RETURN internal.problem(401, 'refresh_token_reused',
            'This refresh token was already used, so the session has been ended; log in again');
    END IF;
    IF v_session.ended_at IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'invalid_refresh_token',
            DETAIL = 'This session has ended; log in again';
    END IF;
    IF v_token.expires_at <= now() THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'invalid_refresh_token',
            DETAIL = 'The refresh token has expired; log in again';
    END IF;

    v_user := internal.require_active_user(v_user_id);

    UPDATE store.refresh_tokens SET used_at = now()
    WHERE user_id = v_token.user_id AND token_hash = v_token.token_hash;
    UPDATE store.sessions SET refreshed_at = now(), refreshed_ip = p_client_ip
    WHERE user_id = v_session.user_id AND id = v_session.id;

    RETURN jsonb_build_object(
        'is_new_user', false,
        'user', jsonb_build_object(
            'id', v_user.id, 'phone', v_user.phone, 'name', v_user.name, 'email', v_user.email
        )
    ) || internal.issue_refresh_token(v_user.id, v_session.id, p_refresh_key);
END
$$;
