-- admin_refund_body: a refund as staff see it: internal.refund_body plus "user_id",
-- "customer_phone", "order_status" (its order's status now), "decided_by" and "decided_at"
-- (the staff member who approved or rejected a request, and when; null otherwise).
-- Locks nothing.
CREATE FUNCTION internal.admin_refund_body(p_refund store.refunds)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT internal.refund_body(p_refund) || jsonb_build_object(
        'user_id', p_refund.user_id,
        'customer_phone', (SELECT u.phone FROM store.users AS u WHERE u.id = p_refund.user_id),
        'order_status', (
            SELECT o.status FROM store.orders AS o
            WHERE o.user_id = p_refund.user_id AND o.id = p_refund.order_id
        ),
        'decided_by', p_refund.decided_by,
        'decided_at', p_refund.decided_at
    )
$$;
