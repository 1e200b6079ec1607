-- order_has_shipped: whether an order has ever been shipped (its history has a move to
-- shipped), whatever its status now (shipped, delivered, partially_refunded after delivery,
-- and the like). A customer's refund of such an order is a request for staff to decide
-- (api.initiate_refund); before shipping it is made at once. Served by
-- order_status_history_order. Locks nothing.
CREATE FUNCTION internal.order_has_shipped(p_user_id bigint, p_order_id bigint)
RETURNS boolean
LANGUAGE sql
STABLE
AS $$
    SELECT EXISTS (
        SELECT FROM store.order_status_history AS h
        WHERE h.user_id = p_user_id AND h.order_id = p_order_id AND h.to_status = 'shipped'
    )
$$;
