-- redeem_coupon: uses a coupon on an order. create_order calls it with the order's frozen
-- subtotal and stores the discount it returns. Re-checks every rule (validate_coupon), counts
-- the use (used_count + 1) and records it in store.coupon_usage.
-- Locks: the coupon row FOR NO KEY UPDATE, first. Concurrent redemptions of one coupon therefore
-- queue, and each checks the limits (a new statement, READ COMMITTED) after the previous one
-- committed: 50 buyers racing for a 5-use coupon get exactly 5 redemptions, and a per-user limit
-- holds against one user's parallel orders. The CHECK used_count <= usage_limit backs it up.
-- Not FOR UPDATE: that conflicts with the KEY SHARE lock every order holding the coupon took on
-- it when inserted (orders.coupon_id references it), so two checkouts of one product with one
-- coupon deadlocked (each waiting for the other's key lock or stock row).
-- Raises: JK404 coupon_not_found, JK422 coupon_expired, coupon_usage_limit_reached,
-- coupon_already_used, coupon_min_order_not_met.
-- Returns the discount in paise (coupon_discount).
CREATE FUNCTION internal.redeem_coupon(
    p_user_id bigint, p_order_id bigint, p_coupon_id integer, p_subtotal bigint
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_coupon store.coupons;
    v_discount bigint;
BEGIN
    SELECT * INTO v_coupon FROM store.coupons WHERE id = p_coupon_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'coupon_not_found',
            DETAIL = format('No coupon with id %s', p_coupon_id);
    END IF;
    PERFORM internal.validate_coupon(v_coupon, p_user_id, p_subtotal);
    v_discount := internal.coupon_discount(v_coupon, p_subtotal);

    UPDATE store.coupons SET used_count = used_count + 1 WHERE id = p_coupon_id;
    INSERT INTO store.coupon_usage (user_id, coupon_id, order_id, discount)
    VALUES (p_user_id, p_coupon_id, p_order_id, v_discount);
    RETURN v_discount;
END
$$;
