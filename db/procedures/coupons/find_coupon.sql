-- find_coupon: the coupon a customer typed, matched case-blind (codes are stored upper case).
-- Only looks it up: validate_coupon decides whether it can be used.
-- Raises: JK422 validation_error (blank code), JK404 coupon_not_found.
CREATE FUNCTION internal.find_coupon(p_code text)
RETURNS store.coupons
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_coupon store.coupons;
BEGIN
    IF nullif(btrim(p_code), '') IS NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'code must not be blank', COLUMN = 'code';
    END IF;
    SELECT * INTO v_coupon FROM store.coupons WHERE code = upper(btrim(p_code));
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'coupon_not_found',
            DETAIL = format('No coupon %s', upper(btrim(p_code)));
    END IF;
    RETURN v_coupon;
END
$$;
