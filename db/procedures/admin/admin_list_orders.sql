-- admin_list_orders: GET /admin/orders. Every customer's orders, newest first, a page at a
-- time: {"items": [admin_order_summary], "next_cursor"}. Filters combine: status; created_from
-- and created_to, dates in India time (IST), both inclusive; phone, the customer's mobile in
-- any form login accepts (internal.normalize_phone; no such customer: no orders). next_cursor
-- (null on the last page) is passed as cursor for the next page: the id of the last order
-- shown, whose (created_at, id) the next page starts after, so pages neither repeat nor skip
-- orders placed meanwhile. Each filter is served by an index (internal.admin_orders_query).
-- Locks nothing. Raises: JK401 unauthorized, JK403 forbidden, JK422 validation_error (limit
-- 1-100, an unknown status, created_to before created_from, a malformed phone, a cursor that
-- is no order's id).
CREATE FUNCTION api.admin_list_orders(
    p_user_id bigint,
    p_status text DEFAULT NULL,
    p_created_from date DEFAULT NULL,
    p_created_to date DEFAULT NULL,
    p_phone text DEFAULT NULL,
    p_cursor bigint DEFAULT NULL,
    p_limit integer DEFAULT 20
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_customer_id bigint;
    v_after store.orders;
    v_orders store.orders[];
BEGIN
    PERFORM internal.require_staff(p_user_id);
    PERFORM internal.check_limit(p_limit);
    IF p_status IS NOT NULL AND NOT EXISTS (
        SELECT FROM internal.order_transitions() AS t WHERE p_status IN (t.from_status, t.to_status)
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'status',
            DETAIL = format('%s is not an order status', p_status);
    END IF;
    IF p_created_to < p_created_from THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'created_to',
            DETAIL = 'created_to must not be before created_from';
    END IF;
    IF p_phone IS NOT NULL THEN
        SELECT u.id INTO v_customer_id FROM store.users AS u WHERE u.phone = internal.normalize_phone(p_phone);
        IF v_customer_id IS NULL THEN
            RETURN jsonb_build_object('items', '[]'::jsonb, 'next_cursor', NULL);
        END IF;
    END IF;
    IF p_cursor IS NOT NULL THEN
        SELECT * INTO v_after FROM store.orders AS o WHERE o.id = p_cursor;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'cursor',
                DETAIL = 'cursor must be the next_cursor of a page';
        END IF;
    END IF;
    EXECUTE format('SELECT array(%s)', internal.admin_orders_query(
        p_status,
        p_created_from::timestamp AT TIME ZONE 'Asia/Kolkata',
        (p_created_to + 1)::timestamp AT TIME ZONE 'Asia/Kolkata',
        v_customer_id, v_after.created_at, v_after.id, p_limit + 1
    ))
    INTO v_orders;
    RETURN jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(internal.admin_order_summary(v_orders[i]) ORDER BY i)
            FROM generate_subscripts(v_orders, 1) AS i
            WHERE i <= p_limit
        ), '[]'::jsonb),
        'next_cursor', CASE WHEN cardinality(v_orders) > p_limit THEN v_orders[p_limit].id END
    );
END
$$;
