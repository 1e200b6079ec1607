-- create_refund: records a refund of an order's captured payment and reserves its amount:
-- payments.amount_refunded grows by it under the payment row lock, so refunds asked at the same
-- time queue and each sees what the others reserved. The sum of refunds that have not failed
-- therefore never exceeds the capture; the CHECK amount_refunded <= amount_captured backs it.
-- A failed refund gives its amount back (fail_refund). With p_restock the order's sold units
-- go back on hand (restore_inventory, once per order).
-- The refund is pending; its refund.requested event (emit_refund_requested, same transaction)
-- has the refunds consumer send it to the gateway. The one place where a refund's amount is
-- reserved and its event written: a refund made at once (p_request_id NULL: a new row) and a
-- customer's request staff approve (p_request_id: that requested row becomes pending, its
-- amount checked again against what remains now) both come here.
-- Internal; the caller holds the order row (lock_order). p_amount NULL: the whole remainder.
-- Locks: the payment row FOR UPDATE, then (restock) the inventory rows by product id, then the
-- request's row.
-- Raises: as internal.refundable_amount: JK409 order_not_refundable (nothing captured, or all
-- of it refunded already), JK422 validation_error (amount below 1 paisa), JK422
-- refund_amount_exceeds_paid; JK409 refund_not_requested (p_request_id is no open request of
-- the order).
-- Returns the refund row.
CREATE FUNCTION internal.create_refund(
    p_user_id bigint,
    p_order_id bigint,
    p_amount bigint,
    p_reason text,
    p_restock boolean,
    p_request_id bigint DEFAULT NULL
)
RETURNS store.refunds
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_payment store.payments;
    v_amount bigint;
    v_refund store.refunds;
BEGIN
    SELECT * INTO v_payment
    FROM store.payments AS p
    WHERE p.user_id = p_user_id AND p.order_id = p_order_id
    FOR UPDATE;
    v_amount := internal.refundable_amount(v_payment, p_order_id, p_amount);

    UPDATE store.payments
    SET amount_refunded = amount_refunded + v_amount, updated_at = now()
    WHERE user_id = p_user_id AND id = v_payment.id;
    IF p_restock THEN
        PERFORM internal.restore_inventory(p_user_id, p_order_id);
    END IF;
    IF p_request_id IS NULL THEN
        INSERT INTO store.refunds AS r (user_id, order_id, payment_id, amount, reason, restock)
        VALUES (p_user_id, p_order_id, v_payment.id, v_amount, p_reason, p_restock)
        RETURNING r.* INTO v_refund;
    ELSE
        UPDATE store.refunds AS r
        SET status = 'pending', queued_at = now()
        WHERE r.user_id = p_user_id AND r.id = p_request_id AND r.order_id = p_order_id
            AND r.status = 'requested' AND r.amount = v_amount AND r.payment_id = v_payment.id
        RETURNING r.* INTO v_refund;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK409', MESSAGE = 'refund_not_requested',
                DETAIL = format('Refund %s is not an open request of order %s', p_request_id, p_order_id);
        END IF;
    END IF;
    PERFORM internal.emit_refund_requested(v_refund);
    RETURN v_refund;
END
$$;
