-- create_refund: records a refund of an order's captured payment and reserves its amount:
-- payments.amount_refunded grows by it under the payment row lock, so refunds asked at the same
-- time queue and each sees what the others reserved. The sum of refunds that have not failed
-- therefore never exceeds the capture; the CHECK amount_refunded <= amount_captured backs it.
-- A failed refund gives its amount back (fail_refund). With p_restock the order's sold units
-- go back on hand (restore_inventory, once per order).
-- The refund is pending; its refund.requested event (emit_refund_requested, same transaction)
-- has the refunds consumer send it to the gateway.
-- Internal; the caller holds the order row (lock_order). p_amount NULL: the whole remainder.
-- Locks: the payment row FOR UPDATE, then (restock) the inventory rows by product id.
-- Raises: JK409 order_not_refundable (nothing captured, or all of it refunded already),
-- JK422 validation_error (amount below 1 paisa), JK422 refund_amount_exceeds_paid.
-- Returns the refund row.
CREATE FUNCTION internal.create_refund(
    p_user_id bigint, p_order_id bigint, p_amount bigint, p_reason text, p_restock boolean
)
RETURNS store.refunds
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_payment store.payments;
    v_remaining bigint;
    v_refund store.refunds;
BEGIN
    SELECT * INTO v_payment
    FROM store.payments AS p
    WHERE p.user_id = p_user_id AND p.order_id = p_order_id
    FOR UPDATE;
    IF v_payment.status IS DISTINCT FROM 'captured' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'order_not_refundable',
            DETAIL = format('Order %s has not been paid', p_order_id);
    END IF;
    v_remaining := v_payment.amount_captured - v_payment.amount_refunded;
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

    UPDATE store.payments
    SET amount_refunded = amount_refunded + coalesce(p_amount, v_remaining), updated_at = now()
    WHERE user_id = p_user_id AND id = v_payment.id;
    IF p_restock THEN
        PERFORM internal.restore_inventory(p_user_id, p_order_id);
    END IF;
    INSERT INTO store.refunds AS r (user_id, order_id, payment_id, amount, reason, restock)
    VALUES (
        p_user_id, p_order_id, v_payment.id, coalesce(p_amount, v_remaining), p_reason, p_restock
    )
    RETURNING r.* INTO v_refund;
    PERFORM internal.emit_refund_requested(v_refund);
    RETURN v_refund;
END
$$;
