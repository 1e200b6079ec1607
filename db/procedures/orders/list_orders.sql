-- list_orders: GET /orders. The user's orders, newest first, a page at a time, optionally of
-- one status: {"items": [{"id", "status", "total", "item_count", "created_at"}], "page",
-- "page_size", "total"}; item_count counts units. Served by orders_user_created_at.
-- Locks nothing. Raises: JK401 unauthorized, JK422 validation_error (page, page_size, or an
-- unknown status).
CREATE FUNCTION api.list_orders(
    p_user_id bigint,
    p_page integer DEFAULT 1,
    p_page_size integer DEFAULT 20,
    p_status text DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_offset integer := internal.check_page(p_page, p_page_size);
BEGIN
    PERFORM internal.require_user(p_user_id);
    IF p_status IS NOT NULL AND NOT EXISTS (
        SELECT FROM internal.order_transitions() AS t WHERE p_status IN (t.from_status, t.to_status)
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'status',
            DETAIL = format('%s is not an order status', p_status);
    END IF;
    RETURN jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'id', o.id,
                'status', o.status,
                'total', o.total,
                'item_count', (
                    SELECT coalesce(sum(oi.quantity), 0)
                    FROM store.order_items AS oi
                    WHERE oi.user_id = o.user_id AND oi.order_id = o.id
                ),
                'created_at', o.created_at
            ) ORDER BY o.created_at DESC, o.id DESC)
            FROM (
                SELECT * FROM store.orders AS r
                WHERE r.user_id = p_user_id AND (p_status IS NULL OR r.status = p_status)
                ORDER BY r.created_at DESC, r.id DESC
                LIMIT p_page_size OFFSET v_offset
            ) AS o
        ), '[]'::jsonb),
        'page', p_page,
        'page_size', p_page_size,
        'total', (
            SELECT count(*) FROM store.orders AS c
            WHERE c.user_id = p_user_id AND (p_status IS NULL OR c.status = p_status)
        )
    );
END
$$;
