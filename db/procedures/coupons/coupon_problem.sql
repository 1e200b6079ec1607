-- coupon_problem: validate_coupon without raising, for the cart: NULL when the coupon can be
-- used now, else why not (the detail of the first rule it fails). The cart keeps a coupon that
-- stopped applying, shows no discount for it, and validation reports it as coupon_invalid.
-- Locks nothing.
CREATE FUNCTION internal.coupon_problem(p_coupon store.coupons, p_user_id bigint, p_subtotal bigint)
RETURNS text
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_detail text;
BEGIN
    PERFORM internal.validate_coupon(p_coupon, p_user_id, p_subtotal);
    RETURN NULL;
EXCEPTION WHEN SQLSTATE 'JK404' OR SQLSTATE 'JK422' THEN
    GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
    RETURN v_detail;
END
$$;
