-- require_active_user: internal.require_user, and the account must be active. For the calls that
-- start or continue a session (api.authenticate, api.refresh_session); the hook calls that record
-- a gateway's answer keep plain require_user, so that money already moved is always recorded.
-- Locks nothing. Raises JK401 unauthorized (internal.require_user), JK403 account_disabled.
CREATE FUNCTION internal.require_active_user(p_user_id bigint)
RETURNS store.users
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_user store.users := internal.require_user(p_user_id);
BEGIN
    IF NOT v_user.is_active THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK403', MESSAGE = 'account_disabled',
            DETAIL = 'This account has been deactivated; contact customer support';
    END IF;
    RETURN v_user;
END
$$;
