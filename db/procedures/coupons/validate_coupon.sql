-- validate_coupon: every rule a coupon must pass for this user and this subtotal (paise), in
-- the order a customer would want to hear about them: exists and active, inside its validity
-- window, usage limits (validate_coupon_usage_limit), minimum order value.
-- Locks nothing itself (see redeem_coupon for the race-safe use).
-- Raises: JK404 coupon_not_found (switched off), JK422 coupon_expired (not yet valid or over),
-- JK422 coupon_usage_limit_reached, JK422 coupon_already_used, JK422 coupon_min_order_not_met.
CREATE FUNCTION internal.validate_coupon(p_coupon store.coupons, p_user_id bigint, p_subtotal bigint)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF p_coupon.id IS NULL OR NOT p_coupon.is_active THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'coupon_not_found',
            DETAIL = format('No coupon %s', coalesce(p_coupon.code, ''));
    END IF;
    IF p_coupon.valid_from > now() THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'coupon_expired',
            DETAIL = format('%s can be used from %s', p_coupon.code,
                to_char(p_coupon.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'));
    END IF;
    IF p_coupon.valid_until <= now() THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'coupon_expired',
            DETAIL = format('%s expired on %s', p_coupon.code,
                to_char(p_coupon.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'));
    END IF;
    PERFORM internal.validate_coupon_usage_limit(p_coupon, p_user_id);
    IF p_subtotal < p_coupon.min_order_value THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'coupon_min_order_not_met',
            DETAIL = format('%s needs an order of at least ₹%s; add ₹%s more', p_coupon.code,
                internal.rupees(p_coupon.min_order_value), internal.rupees(p_coupon.min_order_value - p_subtotal));
    END IF;
END
$$;
