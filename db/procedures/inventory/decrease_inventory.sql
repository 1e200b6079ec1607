-- decrease_inventory: turns an order's reservations into a sale when its payment is captured:
-- for each order line, on_hand -= quantity and units_sold += quantity on the stock row, and the
-- reservation becomes consumed. The product row is not written (refresh_popularity carries
-- units_sold to products.sales_count later), and a sale of reserved units notifies the catalog
-- cache of nothing: available stock is unchanged. A late capture notifies the drop itself.
-- A reservation that is still active and unexpired is already set aside, so it is taken as is.
-- One that expired or was released (a capture arriving late) no longer holds anything: the
-- units are taken only if they are still available, so a late capture never oversells.
-- Idempotent: a line whose reservation is already consumed is skipped (a repeated capture sells
-- nothing twice).
-- Locks: per line in product id order, the store.inventory row FOR UPDATE, then the order's
-- reservation of that product (the order lock_inventory and release_inventory use).
-- Raises: JK409 insufficient_stock (a late capture whose units were sold meanwhile; nothing is
-- sold then, the caller refunds).
-- Returns the number of order lines sold by this call.
CREATE FUNCTION internal.decrease_inventory(p_user_id bigint, p_order_id bigint)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_line record;
    v_lock store.inventory_locks;
    v_available integer;
    v_late boolean;
    v_count integer := 0;
BEGIN
    FOR v_line IN
        SELECT oi.product_id, oi.product_name, oi.quantity
        FROM store.order_items AS oi
        WHERE oi.user_id = p_user_id AND oi.order_id = p_order_id
        ORDER BY oi.product_id
    LOOP
        PERFORM FROM store.inventory AS i WHERE i.product_id = v_line.product_id FOR UPDATE;
        SELECT * INTO v_lock
        FROM store.inventory_locks AS l
        WHERE l.user_id = p_user_id AND l.order_id = p_order_id AND l.product_id = v_line.product_id
        FOR UPDATE;

        CONTINUE WHEN v_lock.status = 'consumed';
        v_late := v_lock.status IS DISTINCT FROM 'active' OR v_lock.expires_at <= now();
        IF v_late THEN
            v_available := internal.available_stock(v_line.product_id);
            IF v_available < v_line.quantity THEN
                PERFORM internal.raise_insufficient_stock(v_line.product_name, v_available);
            END IF;
        END IF;

        UPDATE store.inventory
        SET on_hand = on_hand - v_line.quantity, units_sold = units_sold + v_line.quantity,
            updated_at = now()
        WHERE product_id = v_line.product_id;
        IF v_lock.id IS NULL THEN
            INSERT INTO store.inventory_locks (
                user_id, order_id, product_id, quantity, status, expires_at, released_at
            )
            VALUES (
                p_user_id, p_order_id, v_line.product_id, v_line.quantity, 'consumed', now(), now()
            );
        ELSE
            UPDATE store.inventory_locks SET status = 'consumed', released_at = now()
            WHERE user_id = p_user_id AND id = v_lock.id;
        END IF;
        IF v_late THEN
            -- The units were not set aside: availability fell (the catalog's triggers take
            -- a sale as leaving it unchanged, db/tables/490_write_path.sql).
            PERFORM store.notify_stock_moved(
                ARRAY[v_line.product_id], ARRAY[-v_line.quantity]::bigint [], ARRAY[0]::bigint []
            );
        END IF;
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;
