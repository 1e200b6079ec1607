-- get_me: the profile of the logged-in user.
-- Raises JK401 unauthorized when the token's user no longer exists or closed the account.
CREATE FUNCTION api.get_me(p_user_id bigint)
RETURNS jsonb
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
    RETURN jsonb_build_object(
        'id', v_user.id, 'phone', v_user.phone, 'name', v_user.name, 'email', v_user.email,
        'created_at', v_user.created_at
    );
END
$$;
