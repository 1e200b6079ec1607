-- rollback_coupon: gives back the coupon use of an order that was cancelled or never paid:
-- its coupon_usage row becomes rolled_back and the coupon's used_count goes down by one.
-- Idempotent: only a redeemed use changes, so a second call (or an order without a coupon)
-- changes nothing and returns false.
-- Locks: the order's coupon_usage row, then the coupon row.
-- Returns true when a use was given back.
CREATE FUNCTION internal.rollback_coupon(p_user_id bigint, p_order_id bigint)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_coupon_id integer;
BEGIN
    UPDATE store.coupon_usage
    SET status = 'rolled_back', rolled_back_at = now()
    WHERE user_id = p_user_id AND order_id = p_order_id AND status = 'redeemed'
    RETURNING coupon_id INTO v_coupon_id;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    UPDATE store.coupons SET used_count = used_count - 1 WHERE id = v_coupon_id;
    RETURN TRUE;
END
$$;
