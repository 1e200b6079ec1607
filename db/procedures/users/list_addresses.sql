-- list_addresses: GET /users/me/addresses. The user's live (not deleted) addresses, the default
-- first, then the newest.
-- Raises JK401 unauthorized.
CREATE FUNCTION api.list_addresses(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    RETURN jsonb_build_object('items', coalesce((
        SELECT jsonb_agg(internal.address_json(a) ORDER BY a.is_default DESC, a.created_at DESC, a.id DESC)
        FROM store.addresses AS a
        WHERE a.user_id = p_user_id AND a.deleted_at IS NULL
    ), '[]'::jsonb));
END
$$;
