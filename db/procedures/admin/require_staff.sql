-- require_staff: the live staff member a token names. Every /admin procedure calls it first,
-- so that the staff check is made in one place, before any input is looked at.
-- Locks nothing. Raises JK401 unauthorized (internal.require_user: no such user, or the
-- account closed), JK403 forbidden (a customer: users.is_staff false).
-- Returns the user row.
CREATE FUNCTION internal.require_staff(p_user_id bigint)
RETURNS store.users
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_user store.users := internal.require_user(p_user_id);
BEGIN
    IF NOT v_user.is_staff THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK403', MESSAGE = 'forbidden', DETAIL = 'Only staff may use the /admin routes';
    END IF;
    RETURN v_user;
END
$$;
