-- admin_order_summary: an order in a staff list: {"id", "user_id", "customer_phone", "status",
-- "payment_method", "total", "item_count" (units), "created_at"}. Locks nothing.
CREATE FUNCTION internal.admin_order_summary(p_order store.orders)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'id', p_order.id,
        'user_id', p_order.user_id,
        'customer_phone', (SELECT u.phone FROM store.users AS u WHERE u.id = p_order.user_id),
        'status', p_order.status,
        'payment_method', p_order.payment_method,
        'total', p_order.total,
        'item_count', (
            SELECT coalesce(sum(oi.quantity), 0)
            FROM store.order_items AS oi
            WHERE oi.user_id = p_order.user_id AND oi.order_id = p_order.id
        ),
        'created_at', p_order.created_at
    )
$$;
