-- delivery_pincode: the store.pincodes row of a pincode an order is to be delivered to
-- (create_order's address), for its checks: serviceable here, cod_allowed and delivery_days
-- for whoever needs them.
-- Locks nothing. Raises JK422 pincode_not_serviceable (the pincode named) when the pincode is
-- not in store.pincodes or not serviceable.
CREATE FUNCTION internal.delivery_pincode(p_pincode text)
RETURNS store.pincodes
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_pincode store.pincodes;
BEGIN
    SELECT * INTO v_pincode FROM store.pincodes AS p WHERE p.pincode = p_pincode;
    IF NOT FOUND OR NOT v_pincode.serviceable THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'pincode_not_serviceable',
            DETAIL = format('We do not deliver to pincode %s yet', p_pincode);
    END IF;
    RETURN v_pincode;
END
$$;
