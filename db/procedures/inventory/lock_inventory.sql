-- lock_inventory: reserves stock for every line of an unpaid order (store.order_items) until
-- p_expires_at. create_order inserts the order's lines, then calls this in its transaction.
-- Locks: the store.inventory row of each product FOR UPDATE, in product id order, so that two
-- orders sharing products queue one behind the other instead of deadlocking. Availability is
-- read after the row lock, in a new statement, so it counts every reservation committed before
-- (READ COMMITTED, the default and what the API runs under).
-- Raises: JK422 validation_error (expires_at must be in the future), JK409 insufficient_stock
-- naming the first product (by id) that is short; the transaction then rolls back whole.
-- Returns the number of reservations made (one per order line). Call it once per order.
CREATE FUNCTION internal.lock_inventory(
    p_user_id bigint,
    p_order_id bigint,
    p_expires_at timestamptz DEFAULT now() + internal.reservation_ttl()
)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_line record;
    v_available integer;
    v_count integer := 0;
BEGIN
    IF p_expires_at IS NULL OR p_expires_at <= now() THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'A reservation must expire in the future', COLUMN = 'expires_at';
    END IF;

    FOR v_line IN
        SELECT oi.product_id, oi.product_name, oi.quantity
        FROM store.order_items AS oi
        WHERE oi.user_id = p_user_id AND oi.order_id = p_order_id
        ORDER BY oi.product_id
    LOOP
        PERFORM FROM store.inventory AS i WHERE i.product_id = v_line.product_id FOR UPDATE;
        v_available := internal.available_stock(v_line.product_id);
        IF v_available < v_line.quantity THEN
            PERFORM internal.raise_insufficient_stock(v_line.product_name, v_available);
        END IF;
        INSERT INTO store.inventory_locks (user_id, order_id, product_id, quantity, expires_at)
        VALUES (p_user_id, p_order_id, v_line.product_id, v_line.quantity, p_expires_at);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;
