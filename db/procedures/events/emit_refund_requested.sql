-- emit_refund_requested: a refund.requested event, which the refunds consumer sends to the
-- payment gateway: {"refund_id", "user_id", "order_id", "amount"}. The consumer reads what to
-- send from the refund row itself (refund_to_send), so a replayed event cannot pay twice.
-- Internal. Locks nothing.
CREATE FUNCTION internal.emit_refund_requested(p_refund store.refunds)
RETURNS void
LANGUAGE sql
VOLATILE
AS $$
    SELECT internal.emit_event('refund.requested', p_refund.user_id, p_refund.order_id, jsonb_build_object(
        'refund_id', p_refund.id,
        'user_id', p_refund.user_id,
        'order_id', p_refund.order_id,
        'amount', p_refund.amount
    ))
$$;
