-- get_order: GET /orders/{id}. The user's order with its payment and refunds (order_detail).
-- Locks nothing. Raises: JK401 unauthorized, JK404 order_not_found (unknown or another
-- user's: the same answer).
CREATE FUNCTION api.get_order(p_user_id bigint, p_order_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_order store.orders;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_order := internal.find_order(p_user_id, p_order_id);
    RETURN internal.order_detail(v_order);
END
$$;
