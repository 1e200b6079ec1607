-- admin_get_order: GET /admin/orders/{id}. Any customer's order as its customer sees it
-- (internal.order_detail: items, payment, refunds, requests included), with "user_id",
-- "customer_phone" and "history": its status changes, oldest first ({"from_status",
-- "to_status", "actor", "actor_user_id", "reason", "created_at"}).
-- Locks nothing. Raises: JK401 unauthorized, JK403 forbidden, JK404 order_not_found.
CREATE FUNCTION api.admin_get_order(p_user_id bigint, p_order_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_order store.orders;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    v_order := internal.find_any_order(p_order_id);
    RETURN internal.order_detail(v_order) || jsonb_build_object(
        'user_id', v_order.user_id,
        'customer_phone', (SELECT u.phone FROM store.users AS u WHERE u.id = v_order.user_id),
        'history', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'from_status', h.from_status, 'to_status', h.to_status, 'actor', h.actor,
                'actor_user_id', h.actor_user_id, 'reason', h.reason, 'created_at', h.created_at
            ) ORDER BY h.id)
            FROM store.order_status_history AS h
            WHERE h.user_id = v_order.user_id AND h.order_id = v_order.id
        ), '[]'::jsonb)
    );
END
$$;
