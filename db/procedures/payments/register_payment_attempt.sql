-- register_payment_attempt: POST /payments/initiate, first half. One payment per order, many
-- attempts: for a payable order (check_payable) that already has its payment, records a new
-- attempt (a payment whose last attempt failed is ready again: status created) and answers
-- checkout_body with the same gateway order id. For an order without one it answers
-- {"gateway_order": {"user_id", "order_id", "amount", "currency", "receipt",
-- "idempotency_key"}}: the after hook
-- (app/hooks.py, create_gateway_order) then asks the gateway for an order, outside any
-- transaction, and attach_gateway_order stores it. Idempotency-Key: a replay returns the first
-- answer; the answer stored is the final checkout_body.
-- Locks: the order row, then the payment row.
-- Raises: JK401 unauthorized, JK409 idempotency_key_in_use, JK422 idempotency_key_reused,
-- JK404 order_not_found (unknown or another user's), JK409 order_not_payable.
CREATE FUNCTION api.register_payment_attempt(
    p_user_id bigint, p_order_id bigint, p_key_id text, p_idempotency_key text DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_request constant jsonb := jsonb_build_object('order_id', p_order_id);
    v_replay jsonb;
    v_order store.orders;
    v_payment store.payments;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_replay := internal.idempotent_replay(p_user_id, 'initiate_payment', p_idempotency_key, v_request);
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;
    v_order := internal.lock_order(p_user_id, p_order_id);
    PERFORM internal.check_payable(v_order);

    UPDATE store.payments AS p
    SET status = 'created', updated_at = now()
    WHERE p.user_id = p_user_id AND p.order_id = p_order_id
    RETURNING p.* INTO v_payment;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('gateway_order', jsonb_build_object(
            'user_id', p_user_id,
            'order_id', p_order_id,
            'amount', v_order.total,
            'currency', v_order.currency,
            'receipt', format('jk-order-%s', p_order_id),
            'idempotency_key', p_idempotency_key
        ));
    END IF;
    INSERT INTO store.payment_attempts (user_id, payment_id, source, status, amount, currency)
    VALUES (p_user_id, v_payment.id, 'initiate', 'created', v_payment.amount, v_payment.currency);
    RETURN internal.remember_response(
        p_user_id, 'initiate_payment', p_idempotency_key, v_request,
        internal.checkout_body(v_payment, p_key_id)
    );
END
$$;
