-- update_child: PUT /users/me/children/{id}. Replaces the name, date of birth and gender of a
-- child of the user (gender left out: unspecified, as on create).
-- Locks the child's row (UPDATE). The fields are checked before the child is looked up.
-- Raises JK401 unauthorized, JK404 child_not_found (unknown or another user's), JK422
-- validation_error (the field named).
CREATE FUNCTION api.update_child(
    p_user_id bigint,
    p_child_id bigint,
    p_name text,
    p_date_of_birth date,
    p_gender text DEFAULT 'unspecified'
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_fields store.children;
    v_child store.children;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_fields := internal.checked_child(p_name, p_date_of_birth, p_gender);
    UPDATE store.children
    SET name = v_fields.name, date_of_birth = v_fields.date_of_birth, gender = v_fields.gender,
        updated_at = now()
    WHERE user_id = p_user_id AND id = p_child_id
    RETURNING * INTO v_child;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'child_not_found',
            DETAIL = format('No child with id %s', p_child_id);
    END IF;
    RETURN internal.child_json(v_child);
END
$$;
