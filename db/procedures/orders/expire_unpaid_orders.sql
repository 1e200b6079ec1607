-- expire_unpaid_orders: the sweeper's half for orders. Closes (close_order, actor system) the
-- unpaid orders whose payment_due_at has passed: payment_failed when their last payment
-- attempt failed, expired otherwise. Their reservations are released and their coupon use
-- given back. A payment captured later for such an order is refunded (capture_payment).
-- Locks: each such order row FOR UPDATE SKIP LOCKED (an order being paid or cancelled right
-- now is skipped, never waited for; the next run takes it), then as close_order. At most
-- 1000 orders per call, so one run never holds many locks; run it every minute (api.sweep).
-- Returns the number of orders closed.
CREATE FUNCTION internal.expire_unpaid_orders()
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_order record;
    v_count integer := 0;
BEGIN
    FOR v_order IN
        SELECT o.user_id, o.id, o.payment_due_at, p.status AS payment_status
        FROM store.orders AS o
        LEFT JOIN store.payments AS p ON p.user_id = o.user_id AND p.order_id = o.id
        WHERE o.status = 'pending_payment' AND o.payment_due_at <= now()
        ORDER BY o.payment_due_at
        LIMIT 1000
        FOR UPDATE OF o SKIP LOCKED
    LOOP
        PERFORM internal.close_order(
            v_order.user_id, v_order.id,
            CASE WHEN v_order.payment_status = 'failed' THEN 'payment_failed' ELSE 'expired' END,
            'system', NULL,
            format('Not paid by %s', to_char(v_order.payment_due_at AT TIME ZONE 'UTC',
                'YYYY-MM-DD HH24:MI "UTC"'))
        );
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;
