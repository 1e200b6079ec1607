-- check_payable: may this order be paid now? Only an unpaid order (pending_payment) whose
-- payment window (payment_due_at) is still open.
-- Raises: JK409 order_not_payable, saying why.
CREATE FUNCTION internal.check_payable(p_order store.orders)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF p_order.status <> 'pending_payment' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'order_not_payable',
            DETAIL = format('Order %s is %s; only an unpaid order can be paid', p_order.id, p_order.status);
    END IF;
    IF p_order.payment_due_at <= now() THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'order_not_payable',
            DETAIL = format('The payment window of order %s closed at %s', p_order.id,
                to_char(p_order.payment_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'));
    END IF;
END
$$;
