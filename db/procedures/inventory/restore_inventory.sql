-- restore_inventory: puts the sold units of an order back on hand, when its goods come back or
-- never left (a cancelled paid order, a refund with restock): for each line whose reservation
-- was consumed (sold by decrease_inventory), on_hand += quantity and units_sold -= quantity.
-- Once per order: orders.restocked_at records it, and a second call restores nothing. Units
-- never sold (an unpaid order, a capture refunded because it came late) are not touched.
-- Internal; the caller holds the order row (lock_order).
-- Locks: the store.inventory rows of the sold lines (by the UPDATE), in product id order (the
-- global order of decrease_inventory and lock_inventory).
-- Returns the number of lines restored.
CREATE FUNCTION internal.restore_inventory(p_user_id bigint, p_order_id bigint)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_line record;
    v_count integer := 0;
BEGIN
    IF (
        SELECT o.restocked_at FROM store.orders AS o WHERE o.user_id = p_user_id AND o.id = p_order_id
    ) IS NOT NULL THEN
        RETURN 0;
    END IF;
    FOR v_line IN
        SELECT l.product_id, l.quantity
        FROM store.inventory_locks AS l
        WHERE l.user_id = p_user_id AND l.order_id = p_order_id AND l.status = 'consumed'
        ORDER BY l.product_id
    LOOP
        UPDATE store.inventory
        SET on_hand = on_hand + v_line.quantity, units_sold = units_sold - v_line.quantity,
            updated_at = now()
        WHERE product_id = v_line.product_id;
        v_count := v_count + 1;
    END LOOP;
    IF v_count > 0 THEN
        UPDATE store.orders SET restocked_at = now() WHERE user_id = p_user_id AND id = p_order_id;
    END IF;
    RETURN v_count;
END
$$;
