-- refundable_amount: how much a refund of an order's payment may be: p_amount, or the whole
-- remainder when it is NULL; the remainder is what was captured less what refunds not failed
-- have reserved (payments.amount_refunded). The checks of every refund, made when a customer
-- asks (create_refund, request_refund) and again when staff approve a request (create_refund).
-- Internal; the caller holds the order row, and create_refund the payment row too.
-- Raises: JK409 order_not_refundable (nothing captured, or all of it refunded already; a
-- cash-on-delivery order's detail says so),
-- JK422 validation_error (amount below 1 paisa), JK422 refund_amount_exceeds_paid.
-- Locks nothing. Returns the amount in paise.
CREATE FUNCTION internal.refundable_amount(p_payment store.payments, p_order_id bigint, p_amount bigint)
RETURNS bigint
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_remaining bigint;
BEGIN
    IF p_payment.status IS DISTINCT FROM 'captured' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'order_not_refundable',
            DETAIL = CASE
                WHEN EXISTS (
                    SELECT FROM store.orders AS o
                    WHERE o.id = p_order_id AND o.payment_method = 'cod'
                ) THEN format('Order %s is cash on delivery: nothing was paid online to refund', p_order_id)
                ELSE format('Order %s has not been paid', p_order_id)
            END;
    END IF;
    v_remaining := p_payment.amount_captured - p_payment.amount_refunded;
    IF v_remaining = 0 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'order_not_refundable',
            DETAIL = format('Order %s has been refunded in full', p_order_id);
    END IF;
    IF p_amount < 1 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'amount',
            DETAIL = 'amount must be 1 paisa or more';
    END IF;
    IF p_amount > v_remaining THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'refund_amount_exceeds_paid', COLUMN = 'amount',
            DETAIL = format('At most ₹%s of order %s can still be refunded',
                internal.rupees(v_remaining), p_order_id);
    END IF;
    RETURN coalesce(p_amount, v_remaining);
END
$$;
