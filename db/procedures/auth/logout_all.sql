-- logout_all: POST /auth/logout-all. Ends every live session of the user (a lost phone, a
-- shared computer): each one's refresh tokens and access tokens are refused from now on.
-- Locks the user's live session rows (UPDATE). Raises JK401 unauthorized
-- (internal.require_user). Returns {"sessions_ended": n}: the route answers 204.
CREATE FUNCTION api.logout_all(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_ended integer;
BEGIN
    PERFORM internal.require_user(p_user_id);
    UPDATE store.sessions SET ended_at = now(), end_reason = 'logout_all'
    WHERE user_id = p_user_id AND ended_at IS NULL;
    GET DIAGNOSTICS v_ended = ROW_COUNT;
    RETURN jsonb_build_object('sessions_ended', v_ended);
END
$$;
