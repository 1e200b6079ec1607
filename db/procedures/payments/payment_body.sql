-- payment_body: a payment as the API shows it (GET /payments/{order_id}, and "payment" in
-- GET /orders/{id}): {"payment_id", "order_id", "gateway", "gateway_order_id",
-- "gateway_payment_id", "status", "amount", "currency", "amount_captured", "amount_refunded",
-- "captured_at", "created_at", "attempts": [{"id", "source", "status", "gateway_payment_id",
-- "amount", "currency", "error_code", "error_description", "created_at"}]}, attempts oldest
-- first. Locks nothing.
CREATE FUNCTION internal.payment_body(p_payment store.payments)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'payment_id', p_payment.id,
        'order_id', p_payment.order_id,
        'gateway', p_payment.gateway,
        'gateway_order_id', p_payment.gateway_order_id,
        'gateway_payment_id', p_payment.gateway_payment_id,
        'status', p_payment.status,
        'amount', p_payment.amount,
        'currency', p_payment.currency,
        'amount_captured', p_payment.amount_captured,
        'amount_refunded', p_payment.amount_refunded,
        'captured_at', p_payment.captured_at,
        'created_at', p_payment.created_at,
        'attempts', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'id', a.id,
                'source', a.source,
                'status', a.status,
                'gateway_payment_id', a.gateway_payment_id,
                'amount', a.amount,
                'currency', a.currency,
                'error_code', a.error_code,
                'error_description', a.error_description,
                'created_at', a.created_at
            ) ORDER BY a.id)
            FROM store.payment_attempts AS a
            WHERE a.user_id = p_payment.user_id AND a.payment_id = p_payment.id
        ), '[]'::jsonb)
    )
$$;
