-- find_any_order: any customer's order by its id alone (orders_id), for the staff routes,
-- which are not given the customer.
-- Locks nothing. Raises: JK404 order_not_found.
CREATE FUNCTION internal.find_any_order(p_order_id bigint)
RETURNS store.orders
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_order store.orders;
BEGIN
    SELECT * INTO v_order FROM store.orders AS o WHERE o.id = p_order_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'order_not_found',
            DETAIL = format('No order with id %s', p_order_id);
    END IF;
    RETURN v_order;
END
$$;
