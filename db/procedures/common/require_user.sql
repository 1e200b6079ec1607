-- require_user: the live user a token names. Every procedure that takes p_user_id from a token
-- calls it first, so that a token outliving its account is refused in one place.
-- Locks nothing. Raises JK401 unauthorized when there is no such user (or no id at all) or the
-- account is closed (deleted_at set).
CREATE FUNCTION internal.require_user(p_user_id bigint)
RETURNS store.users
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_user store.users;
BEGIN
    SELECT * INTO v_user FROM store.users WHERE id = p_user_id AND deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'unauthorized', DETAIL = 'This account no longer exists';
    END IF;
    RETURN v_user;
END
$$;
