-- address_json: an address as the API shows it (GET|POST /users/me/addresses and the others).
CREATE FUNCTION internal.address_json(p_address store.addresses)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_build_object(
        'id', p_address.id, 'name', p_address.name, 'phone', p_address.phone,
        'line1', p_address.line1, 'line2', p_address.line2, 'landmark', p_address.landmark,
        'city', p_address.city, 'state', p_address.state, 'pincode', p_address.pincode,
        'is_default', p_address.is_default
    )
$$;
