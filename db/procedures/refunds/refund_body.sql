-- refund_body: a refund as the API shows it: {"id", "order_id", "amount", "status", "reason",
-- "restock", "created_at", "rejection_reason"}; status requested (waiting for staff),
-- rejected (rejection_reason says why; null otherwise), pending (asked of the gateway),
-- processed or failed.
CREATE FUNCTION internal.refund_body(p_refund store.refunds)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_build_object(
        'id', p_refund.id,
        'order_id', p_refund.order_id,
        'amount', p_refund.amount,
        'status', p_refund.status,
        'reason', p_refund.reason,
        'restock', p_refund.restock,
        'created_at', p_refund.created_at,
        'rejection_reason', p_refund.rejection_reason
    )
$$;
