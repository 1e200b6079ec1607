-- record_payment_failure: a payment.failed webhook. The attempt is recorded with the gateway's
-- error. A payment not captured becomes failed; its order stays pending_payment, so the
-- customer may try again (POST /payments/initiate) until payment_due_at, after which the
-- sweeper closes it as payment_failed. A payment already captured changes nothing: events
-- arrive out of order, and a late failure never undoes a capture.
-- Internal. Locks: the order row, the payment row.
-- Returns the outcome: payment_failed or failed_after_capture.
CREATE FUNCTION internal.record_payment_failure(
    p_user_id bigint,
    p_payment_id bigint,
    p_gateway_payment_id text,
    p_amount bigint,
    p_currency text,
    p_error_code text,
    p_error_description text,
    p_event_id text
)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_payment store.payments;
BEGIN
    SELECT * INTO v_payment FROM store.payments AS p WHERE p.user_id = p_user_id AND p.id = p_payment_id;
    PERFORM internal.lock_order(p_user_id, v_payment.order_id);
    SELECT * INTO v_payment
    FROM store.payments AS p
    WHERE p.user_id = p_user_id AND p.id = p_payment_id
    FOR UPDATE;
    INSERT INTO store.payment_attempts (
        user_id, payment_id, gateway_payment_id, source, status, amount, currency, event_id,
        error_code, error_description
    )
    VALUES (
        p_user_id, p_payment_id, p_gateway_payment_id, 'webhook', 'failed', p_amount, p_currency,
        p_event_id, left(p_error_code, 100), left(p_error_description, 500)
    );
    IF v_payment.status = 'captured' THEN
        RETURN 'failed_after_capture';
    END IF;
    UPDATE store.payments SET status = 'failed', updated_at = now()
    WHERE user_id = p_user_id AND id = p_payment_id;
    RETURN 'payment_failed';
END
$$;
