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
    SELECT * INTO v_order FROM store.orders AS o WHERE o.user_id = p_user_id AND o.id = p_order_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'order_not_found',
            DETAIL = format('No order with id %s', p_order_id);
    END IF;
    RETURN internal.order_detail(v_order);
END
$$;
