-- authenticate: the user id of an access token, once its session is checked. Every route that
-- takes a token passes its user through this function inside its one procedure call
-- (`p_user_id => api.authenticate(user, session)`: codegen writes it), so a session that has
-- ended or an account deactivated is refused at once, on every route, with no extra round trip.
-- Both NULL (a public route called without a token) gives NULL. Locks nothing.
-- Raises: JK401 unauthorized (the session has ended or is unknown, the account is closed),
-- JK403 account_disabled (internal.require_active_user).
CREATE FUNCTION api.authenticate(p_user_id bigint, p_session_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_ended_at timestamptz;
BEGIN
    IF p_user_id IS NULL AND p_session_id IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT s.ended_at INTO v_ended_at
    FROM store.sessions AS s
    WHERE s.user_id = p_user_id AND s.id = p_session_id;
    IF NOT FOUND OR v_ended_at IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'unauthorized',
            DETAIL = 'This session has ended; log in again';
    END IF;
    PERFORM internal.require_active_user(p_user_id);
    RETURN p_user_id;
END
$$;
