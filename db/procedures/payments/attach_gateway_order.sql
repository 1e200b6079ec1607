-- attach_gateway_order: POST /payments/initiate, second half, called by the after hook once the
-- gateway created its order: stores the order's payment with that gateway order id (status
-- created, amount = the order total) and its first attempt, and answers checkout_body (stored
-- under the Idempotency-Key). The order must still be payable. When a concurrent initiate
-- attached a gateway order first, that payment wins and is answered (one payment per order);
-- the gateway order made for this request is never paid and lapses at the gateway.
-- Locks: the order row, then the payment row.
-- Raises: JK401 unauthorized, JK409 idempotency_key_in_use, JK404 order_not_found, JK409
-- order_not_payable.
CREATE FUNCTION api.attach_gateway_order(
    p_user_id bigint,
    p_order_id bigint,
    p_gateway text,
    p_gateway_order_id text,
    p_key_id text,
    p_idempotency_key text DEFAULT NULL
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

    INSERT INTO store.payments AS p (user_id, order_id, gateway, gateway_order_id, amount, currency)
    VALUES (p_user_id, p_order_id, p_gateway, p_gateway_order_id, v_order.total, v_order.currency)
    ON CONFLICT (user_id, order_id) DO NOTHING
    RETURNING p.* INTO v_payment;
    IF FOUND THEN
        INSERT INTO store.payment_attempts (user_id, payment_id, source, status, amount, currency)
        VALUES (p_user_id, v_payment.id, 'initiate', 'created', v_payment.amount, v_payment.currency);
    ELSE
        SELECT * INTO v_payment
        FROM store.payments AS p
        WHERE p.user_id = p_user_id AND p.order_id = p_order_id;
    END IF;
    RETURN internal.remember_response(
        p_user_id, 'initiate_payment', p_idempotency_key, v_request,
        internal.checkout_body(v_payment, p_key_id)
    );
END
$$;
