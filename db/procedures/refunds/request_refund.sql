-- request_refund: records a customer's refund of an order that has shipped as a request for
-- staff to decide (api.admin_approve_refund, api.admin_reject_refund): status requested, the
-- amount checked as any refund's (internal.refundable_amount; NULL: the whole remainder now),
-- nothing reserved (payments.amount_refunded unchanged), nothing sent, no event. With
-- p_restock the units go back on hand when staff approve, not now.
-- Internal; the caller holds the order row (lock_order), so the payment read is stable.
-- One open request per order (the unique index refunds_one_request_per_order backs it).
-- Locks nothing more. Raises: as internal.refundable_amount (JK409 order_not_refundable, JK422
-- validation_error, JK422 refund_amount_exceeds_paid), JK409 refund_already_requested.
-- Returns the refund row.
CREATE FUNCTION internal.request_refund(
    p_user_id bigint, p_order_id bigint, p_amount bigint, p_reason text, p_restock boolean
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
    WHERE p.user_id = p_user_id AND p.order_id = p_order_id;
    v_amount := internal.refundable_amount(v_payment, p_order_id, p_amount);
    IF EXISTS (
        SELECT FROM store.refunds AS r
        WHERE r.user_id = p_user_id AND r.order_id = p_order_id AND r.status = 'requested'
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'refund_already_requested',
            DETAIL = format('Order %s has a refund request waiting for staff', p_order_id);
    END IF;
    INSERT INTO store.refunds AS r (user_id, order_id, payment_id, amount, status, reason, restock)
    VALUES (p_user_id, p_order_id, v_payment.id, v_amount, 'requested', p_reason, p_restock)
    RETURNING r.* INTO v_refund;
    RETURN v_refund;
END
$$;
