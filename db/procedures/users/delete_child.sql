-- delete_child: DELETE /users/me/children/{id}. Removes a child of the user (nothing else
-- refers to a child). Answers the remaining children, as list_children.
-- Locks the child's row (DELETE).
-- Raises JK401 unauthorized, JK404 child_not_found (unknown or another user's).
CREATE FUNCTION api.delete_child(p_user_id bigint, p_child_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    DELETE FROM store.children WHERE user_id = p_user_id AND id = p_child_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'child_not_found',
            DETAIL = format('No child with id %s', p_child_id);
    END IF;
    RETURN api.list_children(p_user_id);
END
$$;
