-- issue_refresh_token: a new refresh token for a live session, stored as its keyed hash.
-- The token is '<user id>.<32 random bytes in base64url>' (43 characters after the dot): the
-- user id lets a refresh find the row by its primary key. Locks nothing.
-- Returns {"session_id", "refresh_token", "refresh_expires_in"}; the token appears nowhere else.
CREATE FUNCTION internal.issue_refresh_token(p_user_id bigint, p_session_id bigint, p_key bytea)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_token text := p_user_id || '.' || rtrim(
        translate(encode(public.gen_random_bytes(32), 'base64'), '+/', '-_'), '='
    );
BEGIN
    INSERT INTO store.refresh_tokens (user_id, token_hash, session_id, expires_at)
    VALUES (
        p_user_id, internal.refresh_token_hash(v_token, p_key), p_session_id,
        now() + internal.refresh_token_ttl()
    );
    RETURN jsonb_build_object(
        'session_id', p_session_id,
        'refresh_token', v_token,
        'refresh_expires_in', extract(EPOCH FROM internal.refresh_token_ttl())::integer
    );
END
$$;
