-- emit_order_event: an event about an order's life, for the customer's notifications:
-- {"order_id", "user_id", "phone", "status", "total", "currency"}. The topic is order.placed
-- when it is created, order.paid when payment confirms it, and order.<status> for every other
-- status change (transition_order).
-- Internal. Locks nothing.
CREATE FUNCTION internal.emit_order_event(p_order store.orders, p_topic text)
RETURNS void
LANGUAGE sql
VOLATILE
AS $$
    SELECT internal.emit_event(p_topic, p_order.user_id, p_order.id, jsonb_build_object(
        'order_id', p_order.id,
        'user_id', p_order.user_id,
        'phone', (SELECT u.phone FROM store.users AS u WHERE u.id = p_order.user_id),
        'status', p_order.status,
        'total', p_order.total,
        'currency', p_order.currency
    ))
$$;
