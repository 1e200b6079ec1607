-- create_address: POST /users/me/addresses. Adds an address (fields checked and normalised by
-- internal.checked_address). The user's first live address becomes the default; is_default true
-- moves the default to the new one.
-- Locks the user's address book (an advisory lock per user, shared with update_address and
-- delete_address), so that two requests cannot both decide on the default; the old default is
-- cleared before the new row is written, so addresses_one_default_per_user never trips.
-- Raises JK401 unauthorized, JK422 validation_error (the field named).
CREATE FUNCTION api.create_address(
    p_user_id bigint,
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
    v_address store.addresses;
    v_is_default boolean;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_address := internal.checked_address(
        p_name, p_phone, p_line1, p_line2, p_landmark, p_city, p_state, p_pincode
    );
    PERFORM pg_advisory_xact_lock(hashtextextended('addresses:' || p_user_id, 0));

    v_is_default := coalesce(p_is_default, FALSE) OR NOT EXISTS (
        SELECT FROM store.addresses AS a WHERE a.user_id = p_user_id AND a.deleted_at IS NULL
    );
    IF v_is_default THEN
        UPDATE store.addresses SET is_default = FALSE, updated_at = now()
        WHERE user_id = p_user_id AND is_default AND deleted_at IS NULL;
    END IF;

    INSERT INTO store.addresses (
        user_id, name, phone, line1, line2, landmark, city, state, pincode, is_default
    )
    VALUES (
        p_user_id, v_address.name, v_address.phone, v_address.line1, v_address.line2,
        v_address.landmark, v_address.city, v_address.state, v_address.pincode, v_is_default
    )
    RETURNING * INTO v_address;
    RETURN internal.address_json(v_address);
END
$$;
