-- order_detail: GET /orders/{id}, and the answer of a cancellation or a staff status change:
-- order_body plus "payment" (payment_body, null before POST /payments/initiate) and "refunds"
-- (refund_body each, oldest first). Locks nothing.
CREATE FUNCTION internal.order_detail(p_order store.orders)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT internal.order_body(p_order) || jsonb_build_object(
        'payment', (
            SELECT internal.payment_body(p)
            FROM store.payments AS p
            WHERE p.user_id = p_order.user_id AND p.order_id = p_order.id
        ),
        'refunds', coalesce((
            SELECT jsonb_agg(internal.refund_body(r) ORDER BY r.id)
            FROM store.refunds AS r
            WHERE r.user_id = p_order.user_id AND r.order_id = p_order.id
        ), '[]'::jsonb)
    )
$$;
