-- verify_payment: POST /payments/verify, the client's callback after Razorpay Checkout. The
-- signature must be Razorpay's: hex HMAC-SHA256 of "<gateway_order_id>|<gateway_payment_id>"
-- keyed with the key secret, computed over the gateway order id WE stored for this user's
-- payment and compared in constant time (constant_time_equals). A good signature captures the
-- payment (capture_payment: the order is sold and confirmed, or refunded when it came too late);
-- verifying a captured payment again answers the same and does nothing twice.
-- A bad signature is recorded as a rejected attempt (error_code invalid_signature) and returned
-- as a problem (internal.problem, so the record is kept): 400 invalid_signature, order unchanged.
-- Locks: as capture_payment (the order row, the payment row, ...).
-- Raises: JK401 unauthorized, JK404 payment_not_found (unknown gateway order id, or another
-- user's); returns the problem 400 invalid_signature.
-- Returns {"payment_id", "order_id", "status", "order_status"}. A late capture's refund is
-- pending: the refunds consumer sends it to the gateway.
CREATE FUNCTION api.verify_payment(
    p_user_id bigint,
    p_gateway_order_id text,
    p_gateway_payment_id text,
    p_signature text,
    p_key_secret text
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_payment store.payments;
BEGIN
    PERFORM internal.require_user(p_user_id);
    SELECT * INTO v_payment
    FROM store.payments AS p
    WHERE p.user_id = p_user_id AND p.gateway_order_id = p_gateway_order_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'payment_not_found',
            DETAIL = format('No payment with gateway order id %s', p_gateway_order_id);
    END IF;

    IF NOT internal.constant_time_equals(
        internal.hmac_sha256_hex(v_payment.gateway_order_id || '|' || p_gateway_payment_id, p_key_secret),
        p_signature
    ) THEN
        INSERT INTO store.payment_attempts (
            user_id, payment_id, gateway_payment_id, source, status, error_code, error_description
        )
        VALUES (
            p_user_id, v_payment.id, p_gateway_payment_id, 'verify', 'rejected', 'invalid_signature',
            'The checkout signature did not match'
        );
        RETURN internal.problem(400, 'invalid_signature',
            'The payment signature does not match; the order is unchanged');
    END IF;

    PERFORM internal.capture_payment(
        p_user_id, v_payment.id, p_gateway_payment_id, v_payment.amount, v_payment.currency,
        'verify', NULL
    );
    RETURN (
        SELECT jsonb_build_object(
            'payment_id', p.id,
            'order_id', p.order_id,
            'status', p.status,
            'order_status', o.status
        )
        FROM store.payments AS p
        INNER JOIN store.orders AS o ON o.user_id = p.user_id AND o.id = p.order_id
        WHERE p.user_id = p_user_id AND p.id = v_payment.id
    );
END
$$;
