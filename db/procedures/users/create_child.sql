-- create_child: POST /users/me/children. Adds a child (fields checked by internal.checked_child).
-- Locks nothing. Raises JK401 unauthorized, JK422 validation_error (the field named).
CREATE FUNCTION api.create_child(
    p_user_id bigint, p_name text, p_date_of_birth date, p_gender text DEFAULT 'unspecified'
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_child store.children;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_child := internal.checked_child(p_name, p_date_of_birth, p_gender);
    INSERT INTO store.children (user_id, name, date_of_birth, gender)
    VALUES (p_user_id, v_child.name, v_child.date_of_birth, v_child.gender)
    RETURNING * INTO v_child;
    RETURN internal.child_json(v_child);
END
$$;
