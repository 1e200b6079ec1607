-- get_pincode: GET /pincodes/{pincode}. Whether the store delivers to a PIN code, with cash on
-- delivery or not, in how many days (null where it does not deliver), and its state and
-- district: {"pincode", "serviceable", "cod_available", "state", "district", "delivery_days"}.
-- Locks nothing. Raises JK422 validation_error (pincode: not 6 digits or starting with 0),
-- JK404 pincode_not_found (a pincode store.pincodes does not hold).
CREATE FUNCTION api.get_pincode(p_pincode text)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_pincode store.pincodes;
BEGIN
    IF p_pincode IS NULL OR p_pincode !~ '^[1-9][0-9]{5}$' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'pincode',
            DETAIL = 'pincode must be 6 digits and not start with 0';
    END IF;
    SELECT * INTO v_pincode FROM store.pincodes AS p WHERE p.pincode = p_pincode;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'pincode_not_found',
            DETAIL = format('No pincode %s', p_pincode);
    END IF;
    RETURN jsonb_build_object(
        'pincode', v_pincode.pincode,
        'serviceable', v_pincode.serviceable,
        'cod_available', v_pincode.serviceable AND v_pincode.cod_allowed,
        'state', v_pincode.state,
        'district', v_pincode.district,
        'delivery_days', CASE WHEN v_pincode.serviceable THEN v_pincode.delivery_days END
    );
END
$$;
