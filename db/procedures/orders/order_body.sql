-- order_body: an order as the API shows it (docs/api.md "Orders"), the one shape of an order:
-- {"id", "status", "payment_method", "items": [{"product_id", "name", "unit_price",
--  "quantity", "line_total"}], "subtotal", "discount", "shipping", "cod_fee", "total",
--  "currency", "address", "payment_due_at", "created_at"}. Everything comes from the order's
-- own frozen rows, never from the catalog.
-- order_detail adds the payment and the refunds. Locks nothing.
CREATE FUNCTION internal.order_body(p_order store.orders)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'id', p_order.id,
        'status', p_order.status,
        'payment_method', p_order.payment_method,
        'items', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'product_id', oi.product_id,
                'name', oi.product_name,
                'unit_price', oi.unit_price,
                'quantity', oi.quantity,
                'line_total', oi.line_total
            ) ORDER BY oi.product_id)
            FROM store.order_items AS oi
            WHERE oi.user_id = p_order.user_id AND oi.order_id = p_order.id
        ), '[]'::jsonb),
        'subtotal', p_order.subtotal,
        'discount', p_order.discount,
        'shipping', p_order.shipping,
        'cod_fee', p_order.cod_fee,
        'total', p_order.total,
        'currency', p_order.currency,
        'address', p_order.address,
        'payment_due_at', p_order.payment_due_at,
        'created_at', p_order.created_at
    )
$$;
