-- find_order: one of the user's orders, for a route that reads it; lock_order is its twin for
-- the routes that change an order. The user id is in the WHERE clause as a plain equality, so
-- that once orders are distributed by user the lookup goes to one shard.
-- Locks nothing. Raises: JK404 order_not_found (unknown, or another user's: the same answer).
CREATE FUNCTION internal.find_order(p_user_id bigint, p_order_id bigint)
RETURNS store.orders
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_order store.orders;
BEGIN
    SELECT * INTO v_order FROM store.orders AS o WHERE o.user_id = p_user_id AND o.id = p_order_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'order_not_found',
            DETAIL = format('No order with id %s', p_order_id);
    END IF;
    RETURN v_order;
END
$$;
