-- release_inventory: gives back the stock an order reserved (order cancelled, expired or its
-- payment failed). Idempotent: only active reservations change, so a second call releases
-- nothing, and a consumed (sold) reservation is never given back.
-- Locks: the order's active reservations, in product id order (as decrease_inventory does).
-- Returns the number of reservations released.
CREATE FUNCTION internal.release_inventory(p_user_id bigint, p_order_id bigint)
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    WITH released AS (
        UPDATE store.inventory_locks AS l
        SET status = 'released', released_at = now()
        WHERE l.user_id = p_user_id AND l.id IN (
            SELECT a.id
            FROM store.inventory_locks AS a
            WHERE a.user_id = p_user_id AND a.order_id = p_order_id AND a.status = 'active'
            ORDER BY a.product_id
            FOR UPDATE
        )
        RETURNING 1
    )
    SELECT count(*)::integer FROM released
$$;
