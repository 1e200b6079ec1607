-- validate_coupon_usage_limit: may this user redeem the coupon once more? Checks the total
-- usage limit (used_count < usage_limit), the per-user limit (the user's redeemed, not rolled
-- back, uses) and first_order_only (the user has no paid order yet).
-- Locks nothing itself. redeem_coupon calls it after locking the coupon row, so that the
-- counts it reads include every redemption committed before (READ COMMITTED).
-- Raises: JK422 coupon_usage_limit_reached (total), JK422 coupon_already_used (per user, or not
-- the user's first order).
CREATE FUNCTION internal.validate_coupon_usage_limit(p_coupon store.coupons, p_user_id bigint)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF p_coupon.used_count >= p_coupon.usage_limit THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'coupon_usage_limit_reached',
            DETAIL = format('%s has reached its usage limit', p_coupon.code);
    END IF;
    IF p_coupon.per_user_limit <= (
        SELECT count(*)
        FROM store.coupon_usage AS u
        WHERE u.coupon_id = p_coupon.id AND u.user_id = p_user_id AND u.status = 'redeemed'
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'coupon_already_used',
            DETAIL = CASE p_coupon.per_user_limit
                WHEN 1 THEN format('You have already used %s', p_coupon.code)
                ELSE format('You have already used %s %s times', p_coupon.code, p_coupon.per_user_limit)
            END;
    END IF;
    -- Paid: every status an order reaches once its payment was captured.
    IF p_coupon.first_order_only AND EXISTS (
        SELECT FROM store.orders AS o
        WHERE o.user_id = p_user_id
            AND o.status IN (
                'confirmed', 'packed', 'shipped', 'delivered', 'partially_refunded', 'refunded'
            )
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'coupon_already_used',
            DETAIL = format('%s is only for your first order', p_coupon.code);
    END IF;
END
$$;
