-- list_refunds: GET /refunds/{order_id}. The refunds of one of the user's orders, oldest first
-- (refund_body), and total_refunded: the sum of those pending and processed (not failed, and
-- not a request waiting for staff or rejected), which is what payments.amount_refunded holds.
-- Locks nothing. Raises: JK401 unauthorized, JK404 order_not_found (unknown or another user's).
CREATE FUNCTION api.list_refunds(p_user_id bigint, p_order_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    PERFORM internal.find_order(p_user_id, p_order_id);
    RETURN jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(internal.refund_body(r) ORDER BY r.id)
            FROM store.refunds AS r
            WHERE r.user_id = p_user_id AND r.order_id = p_order_id
        ), '[]'::jsonb),
        'total_refunded', coalesce((
            SELECT sum(r.amount) FROM store.refunds AS r
            WHERE r.user_id = p_user_id AND r.order_id = p_order_id
                AND r.status IN ('pending', 'processed')
        ), 0)
    );
END
$$;
