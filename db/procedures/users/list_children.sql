-- list_children: GET /users/me/children. The user's children, oldest first, each with its age
-- in months today.
-- Raises JK401 unauthorized.
CREATE FUNCTION api.list_children(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    RETURN jsonb_build_object('items', coalesce((
        SELECT jsonb_agg(internal.child_json(c) ORDER BY c.date_of_birth, c.id)
        FROM store.children AS c
        WHERE c.user_id = p_user_id
    ), '[]'::jsonb));
END
$$;
