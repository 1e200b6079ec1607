-- capture_payment: records that the gateway captured a payment, reported by the client's
-- verified callback (verify_payment, source verify) or a payment.captured webhook (source
-- webhook). The one place a payment is captured, so a callback and a webhook racing for the
-- same payment capture it once: both lock the order row and then the payment row, and the
-- second finds it captured.
--   already captured with this gateway payment id: nothing happens (already_captured);
--   already captured with another one: recorded as a rejected attempt, nothing else
--     (second_payment; the gateway does not let an order be paid twice, so this needs a person);
--   amount or currency not the payment's: recorded as a rejected attempt, the order unchanged
--     (amount_mismatch);
--   otherwise the payment is captured (amount_captured = amount) and the attempt recorded; then
--     - an unpaid order is sold (decrease_inventory) and confirmed (captured); when its
--       reservation lapsed and the units were sold meanwhile, nothing is sold: the order
--       expires (close_order) and the capture is refunded in full (late_capture_refunded);
--     - a closed order (cancelled, expired, payment_failed) stays closed, nothing is sold and
--       the capture is refunded in full (late_capture_refunded).
-- Internal. Locks: the order row, the payment row, then as decrease_inventory or close_order.
-- Returns the outcome and the refund made (all fields NULL when none).
CREATE FUNCTION internal.capture_payment(
    p_user_id bigint,
    p_payment_id bigint,
    p_gateway_payment_id text,
    p_amount bigint,
    p_currency text,
    p_source text,
    p_event_id text,
    OUT o_outcome text,
    OUT o_refund store.refunds
)
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_payment store.payments;
    v_order store.orders;
    v_sold boolean;
BEGIN
    SELECT * INTO v_payment FROM store.payments AS p WHERE p.user_id = p_user_id AND p.id = p_payment_id;
    v_order := internal.lock_order(p_user_id, v_payment.order_id);
    SELECT * INTO v_payment
    FROM store.payments AS p
    WHERE p.user_id = p_user_id AND p.id = p_payment_id
    FOR UPDATE;

    IF v_payment.status = 'captured' THEN
        IF v_payment.gateway_payment_id = p_gateway_payment_id THEN
            o_outcome := 'already_captured';
            RETURN;
        END IF;
        o_outcome := 'second_payment';
    ELSIF p_amount IS DISTINCT FROM v_payment.amount OR p_currency IS DISTINCT FROM v_payment.currency THEN
        o_outcome := 'amount_mismatch';
    END IF;
    IF o_outcome IS NOT NULL THEN
        INSERT INTO store.payment_attempts (
            user_id, payment_id, gateway_payment_id, source, status, amount, currency, event_id,
            error_code, error_description
        )
        VALUES (
            p_user_id, p_payment_id, p_gateway_payment_id, p_source, 'rejected', p_amount,
            p_currency, p_event_id, o_outcome,
            CASE o_outcome
                WHEN 'second_payment' THEN format('Order already paid by %s; refund this one by hand',
                    v_payment.gateway_payment_id)
                ELSE format('Expected %s %s, the gateway reported %s %s', v_payment.amount,
                    v_payment.currency, p_amount, p_currency)
            END
        );
        RETURN;
    END IF;

    UPDATE store.payments
    SET status = 'captured', gateway_payment_id = p_gateway_payment_id,
        amount_captured = amount, captured_at = now(), updated_at = now()
    WHERE user_id = p_user_id AND id = p_payment_id AND status <> 'captured';
    INSERT INTO store.payment_attempts (
        user_id, payment_id, gateway_payment_id, source, status, amount, currency, event_id
    )
    VALUES (
        p_user_id, p_payment_id, p_gateway_payment_id, p_source, 'captured', p_amount, p_currency,
        p_event_id
    );

    IF v_order.status = 'pending_payment' THEN
        BEGIN
            PERFORM internal.decrease_inventory(p_user_id, v_order.id);
            v_sold := TRUE;
        EXCEPTION WHEN SQLSTATE 'JK409' THEN
            -- The reservation lapsed and its units were sold meanwhile: nothing was sold here.
            v_sold := FALSE;
        END;
        IF v_sold THEN
            PERFORM internal.transition_order(
                p_user_id, v_order.id, 'confirmed',
                CASE p_source WHEN 'verify' THEN 'customer' ELSE 'gateway' END,
                CASE p_source WHEN 'verify' THEN p_user_id END, NULL
            );
            o_outcome := 'captured';
            RETURN;
        END IF;
        o_refund := internal.close_order(
            p_user_id, v_order.id, 'expired', 'system', NULL,
            'The payment arrived after the reserved stock was sold'
        );
    ELSE
        o_refund := internal.create_refund(
            p_user_id, v_order.id, NULL,
            format('Payment captured after the order was %s', v_order.status), FALSE
        );
    END IF;
    o_outcome := 'late_capture_refunded';
END
$$;
