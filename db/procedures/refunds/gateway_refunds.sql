-- gateway_refunds: what the API layer needs to send a pending refund to the payment gateway,
-- as the "gateway_refunds" array an endpoint returns next to its answer:
-- [{"user_id", "refund_id", "gateway_payment_id", "amount"}], or [] for no refund (a NULL row).
-- The after hook (app/hooks.py, send_refunds) sends each, records the gateway's refund id
-- (attach_gateway_refund) or the failure (fail_gateway_refund), and removes the key.
CREATE FUNCTION internal.gateway_refunds(p_refund store.refunds)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'user_id', p.user_id,
        'refund_id', p_refund.id,
        'gateway_payment_id', p.gateway_payment_id,
        'amount', p_refund.amount
    )), '[]'::jsonb)
    FROM store.payments AS p
    WHERE p.user_id = p_refund.user_id AND p.id = p_refund.payment_id
$$;
