-- checked_address: the fields of an address as create_address and update_address store them:
-- text trimmed, optional lines NULL when blank, phone normalised to +91XXXXXXXXXX, state
-- spelled as in internal.indian_states (matched case-blind). Only those fields are set.
-- Raises JK422 validation_error naming the first bad field: name (1-100 characters), phone
-- (Indian mobile), line1 (1-200), line2 and landmark (up to 200), city (1-100), state (one of
-- internal.indian_states), pincode (6 digits, not starting with 0, and in store.pincodes), and
-- state again when it is not the state of the pincode (the detail names the pincode's state).
-- STABLE, not IMMUTABLE: it reads store.pincodes. Locks nothing.
CREATE FUNCTION internal.checked_address(
    p_name text,
    p_phone text,
    p_line1 text,
    p_line2 text,
    p_landmark text,
    p_city text,
    p_state text,
    p_pincode text
)
RETURNS store.addresses
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_address store.addresses;
    v_pincode_state text;
BEGIN
    v_address.name := internal.check_text(p_name, 'name', 100);
    v_address.phone := internal.normalize_phone(btrim(p_phone));
    v_address.line1 := internal.check_text(p_line1, 'line1', 200);
    v_address.line2 := internal.check_text(p_line2, 'line2', 200, p_required => FALSE);
    v_address.landmark := internal.check_text(p_landmark, 'landmark', 200, p_required => FALSE);
    v_address.city := internal.check_text(p_city, 'city', 100);
    SELECT s.name INTO v_address.state
    FROM unnest(internal.indian_states()) AS s (name)
    WHERE lower(s.name) = lower(btrim(p_state));
    IF v_address.state IS NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'state',
            DETAIL = 'state must be an Indian state or union territory: '
                || array_to_string(internal.indian_states(), ', ');
    END IF;
    v_address.pincode := btrim(p_pincode);
    IF v_address.pincode IS NULL OR v_address.pincode !~ '^[1-9][0-9]{5}$' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'pincode',
            DETAIL = 'pincode must be 6 digits and not start with 0';
    END IF;
    SELECT p.state INTO v_pincode_state FROM store.pincodes AS p WHERE p.pincode = v_address.pincode;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'pincode',
            DETAIL = format('pincode %s is not in our list of Indian PIN codes', v_address.pincode);
    END IF;
    IF v_pincode_state <> v_address.state THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'state',
            DETAIL = format(
                'state must be the state of pincode %s: %s, not %s',
                v_address.pincode, v_pincode_state, v_address.state
            );
    END IF;
    RETURN v_address;
END
$$;
