-- logout: POST /auth/logout. Ends the caller's session: its refresh tokens stop working, and
-- its access token is refused by api.authenticate on every route from now on.
-- Locks the session's row (UPDATE). Raises JK401 unauthorized (internal.require_user).
-- Returns {}: the route answers 204.
CREATE FUNCTION api.logout(p_user_id bigint, p_session_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    UPDATE store.sessions SET ended_at = now(), end_reason = 'logout'
    WHERE user_id = p_user_id AND id = p_session_id AND ended_at IS NULL;
    RETURN '{}'::jsonb;
END
$$;
