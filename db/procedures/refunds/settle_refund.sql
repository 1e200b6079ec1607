-- settle_refund: a pending refund becomes final, as the gateway reports it (refund.processed or
-- refund.failed webhook) or refuses it outright (fail_gateway_refund):
--   processed: processed_at is set, and an order still being fulfilled or already partly
--     refunded moves to refunded when processed refunds add up to the capture, else to
--     partially_refunded (actor gateway). A cancelled or expired order keeps its status.
--   processed also issues a credit note of the refund's amount against the order's invoice
--     (issue_credit_note; none when the order has no invoice).
--   failed: the amount is given back to the payment (amount_refunded shrinks), so it can be
--     refunded again; the order's status does not move (it only moves on processed refunds,
--     so it never has to move back).
-- A refund that is already final changes nothing (a webhook repeated under a new event id).
-- A refund made final emits refund.settled {"refund_id", "user_id", "order_id", "amount",
-- "status", "phone"}, for the customer's notification.
-- Internal. Locks: the order row, the payment row, the refund row (and, for a credit note, the
-- credit note counter row of the financial year).
-- Returns the outcome: refund_processed, refund_failed or refund_already_final.
CREATE FUNCTION internal.settle_refund(p_user_id bigint, p_refund_id bigint, p_status text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_refund store.refunds;
    v_order store.orders;
    v_payment store.payments;
    v_processed bigint;
    v_target text;
BEGIN
    SELECT * INTO v_refund FROM store.refunds AS r WHERE r.user_id = p_user_id AND r.id = p_refund_id;
    v_order := internal.lock_order(p_user_id, v_refund.order_id);
    SELECT * INTO v_payment
    FROM store.payments AS p
    WHERE p.user_id = p_user_id AND p.id = v_refund.payment_id
    FOR UPDATE;
    SELECT * INTO v_refund
    FROM store.refunds AS r
    WHERE r.user_id = p_user_id AND r.id = p_refund_id
    FOR UPDATE;
    IF v_refund.status <> 'pending' THEN
        RETURN 'refund_already_final';
    END IF;

    PERFORM internal.emit_event('refund.settled', p_user_id, v_refund.order_id, jsonb_build_object(
        'refund_id', v_refund.id, 'user_id', p_user_id, 'order_id', v_refund.order_id,
        'amount', v_refund.amount, 'status', p_status,
        'phone', (SELECT u.phone FROM store.users AS u WHERE u.id = p_user_id)
    ));
    IF p_status = 'failed' THEN
        UPDATE store.refunds SET status = 'failed' WHERE user_id = p_user_id AND id = p_refund_id;
        UPDATE store.payments
        SET amount_refunded = amount_refunded - v_refund.amount, updated_at = now()
        WHERE user_id = p_user_id AND id = v_payment.id;
        RETURN 'refund_failed';
    END IF;

    UPDATE store.refunds SET status = 'processed', processed_at = now()
    WHERE user_id = p_user_id AND id = p_refund_id;
    PERFORM internal.issue_credit_note(p_user_id, v_refund.order_id, v_refund.amount, v_refund.id);
    SELECT coalesce(sum(r.amount), 0) INTO v_processed
    FROM store.refunds AS r
    WHERE r.user_id = p_user_id AND r.payment_id = v_payment.id AND r.status = 'processed';
    IF v_order.status IN ('confirmed', 'packed', 'shipped', 'delivered', 'partially_refunded') THEN
        v_target := CASE
            WHEN v_processed >= v_payment.amount_captured THEN 'refunded' ELSE 'partially_refunded'
        END;
        IF v_target <> v_order.status THEN
            PERFORM internal.transition_order(p_user_id, v_order.id, v_target, 'gateway', NULL, NULL);
        END IF;
    END IF;
    RETURN 'refund_processed';
END
$$;
