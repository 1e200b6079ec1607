-- coupon_discount: the discount in paise a coupon gives on a subtotal (paise). The one place
-- the discount is computed; the cart, apply_coupon and redeem_coupon all call it.
-- Integer paise only: percentage -> floor(subtotal * percent / 100), i.e. rounded down to the
-- paisa (less than one paisa below the exact figure, never above it); flat -> its value.
-- Either is capped by max_discount when set, and never exceeds the subtotal.
CREATE FUNCTION internal.coupon_discount(p_coupon store.coupons, p_subtotal bigint)
RETURNS bigint
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT greatest(least(
        CASE p_coupon.discount_type
            WHEN 'percentage' THEN p_subtotal * p_coupon.discount_value / 100
            ELSE p_coupon.discount_value
        END,
        coalesce(p_coupon.max_discount, p_subtotal),
        p_subtotal
    ), 0)
$$;
