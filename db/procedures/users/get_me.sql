-- get_me: GET /users/me. The profile of the logged-in user: id, phone, name, email, created_at.
-- Raises JK401 unauthorized (internal.require_user).
CREATE FUNCTION api.get_me(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_user store.users := internal.require_user(p_user_id);
BEGIN
    RETURN jsonb_build_object(
        'id', v_user.id, 'phone', v_user.phone, 'name', v_user.name, 'email', v_user.email,
        'created_at', v_user.created_at
    );
END
$$;
