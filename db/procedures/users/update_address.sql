-- update_address: PUT /users/me/addresses/{id}. Replaces every field of a live address of the
-- user (a field left out, like line2, becomes empty). is_default true makes it the default;
-- false or absent leaves the default where it is (the default address stays the default: a
-- user always has one; set another to move it). Orders keep their own copy of the address.
-- Locks the user's address book (as create_address) and the address row.
-- Raises JK401 unauthorized, JK404 address_not_found (unknown, deleted or another user's),
-- JK422 validation_error (the field named).
CREATE FUNCTION api.update_address(
    p_user_id bigint,
    p_address_id bigint,
    p_name text,
    p_phone text,
    p_line1 text,
    p_city text,
    p_state text,
    p_pincode text,
    p_line2 text DEFAULT NULL,
    p_landmark text DEFAULT NULL,
    p_is_default boolean DEFAULT FALSE
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_current store.addresses;
    v_address store.addresses;
BEGIN
    PERFORM internal.require_user(p_user_id);
    PERFORM pg_advisory_xact_lock(hashtextextended('addresses:' || p_user_id, 0));
    SELECT * INTO v_current
    FROM store.addresses
    WHERE user_id = p_user_id AND id = p_address_id AND deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'address_not_found',
            DETAIL = format('No address with id %s', p_address_id);
    END IF;
    v_address := internal.checked_address(
        p_name, p_phone, p_line1, p_line2, p_landmark, p_city, p_state, p_pincode
    );

    IF coalesce(p_is_default, FALSE) AND NOT v_current.is_default THEN
        UPDATE store.addresses SET is_default = FALSE, updated_at = now()
        WHERE user_id = p_user_id AND is_default AND deleted_at IS NULL;
    END IF;

    UPDATE store.addresses
    SET name = v_address.name, phone = v_address.phone, line1 = v_address.line1,
        line2 = v_address.line2, landmark = v_address.landmark, city = v_address.city,
        state = v_address.state, pincode = v_address.pincode,
        is_default = v_current.is_default OR coalesce(p_is_default, FALSE),
        updated_at = now()
    WHERE user_id = p_user_id AND id = p_address_id
    RETURNING * INTO v_address;
    RETURN internal.address_json(v_address);
END
$$;
