-- checkout_body: the answer of POST /payments/initiate: what the client passes to Razorpay
-- Checkout. {"payment_id", "order_id", "gateway", "gateway_order_id", "key_id", "amount",
-- "currency", "status"}; key_id is the public Razorpay key id (settings).
CREATE FUNCTION internal.checkout_body(p_payment store.payments, p_key_id text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_build_object(
        'payment_id', p_payment.id,
        'order_id', p_payment.order_id,
        'gateway', p_payment.gateway,
        'gateway_order_id', p_payment.gateway_order_id,
        'key_id', p_key_id,
        'amount', p_payment.amount,
        'currency', p_payment.currency,
        'status', p_payment.status
    )
$$;
