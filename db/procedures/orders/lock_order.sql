-- lock_order: a user's order, its row locked FOR UPDATE until the transaction ends. The order
-- row is where every change to an order, its payment and its refunds queues: capture, cancel,
-- refund, expiry and staff changes all take it first, so they run one at a time per order.
-- Lock order (docs/dba.md "The lock order"): cart row, order row, payment row,
-- inventory rows by product id, reservations, coupon use, coupon row, refund rows.
-- Raises: JK404 order_not_found (unknown, or another user's: the same answer).
CREATE FUNCTION internal.lock_order(p_user_id bigint, p_order_id bigint)
RETURNS store.orders
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_order store.orders;
BEGIN
    SELECT * INTO v_order
    FROM store.orders AS o
    WHERE o.user_id = p_user_id AND o.id = p_order_id
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'order_not_found',
            DETAIL = format('No order with id %s', p_order_id);
    END IF;
    RETURN v_order;
END
$$;
