-- get_me: GET /users/me. The profile of the logged-in user: id, phone, name, email, created_at.
-- Raises JK401 unauthorized (api.require_user).
CREATE FUNCTION api.get_me(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_user store.users := api.require_user(p_user_id);
BEGIN
    RETURN jsonb_build_object(
        'id', v_user.id, 'phone', v_user.phone, 'name', v_user.name, 'email', v_user.email,
        'created_at', v_user.created_at
    );
END
$$;
