-- increase_inventory: restock, for DBAs: adds p_quantity units to a product's stock on hand,
-- creating its inventory row when it has none. Inactive products may be restocked.
--     SELECT internal.increase_inventory(42, 100);
-- Locks: the product's store.inventory row, for the length of the update.
-- Raises: JK422 validation_error (quantity must be 1 or more), JK404 product_not_found.
-- Returns {"product_id", "on_hand", "available"}.
CREATE FUNCTION internal.increase_inventory(p_product_id bigint, p_quantity integer)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_on_hand integer;
BEGIN
    IF p_quantity IS NULL OR p_quantity < 1 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'quantity must be 1 or more', COLUMN = 'quantity';
    END IF;
    IF NOT EXISTS (SELECT FROM store.products WHERE id = p_product_id) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'product_not_found',
            DETAIL = format('No product with id %s', p_product_id);
    END IF;

    INSERT INTO store.inventory AS i (product_id, on_hand)
    VALUES (p_product_id, p_quantity)
    ON CONFLICT (product_id) DO UPDATE
    SET on_hand = i.on_hand + excluded.on_hand, updated_at = now()
    RETURNING i.on_hand INTO v_on_hand;

    RETURN jsonb_build_object(
        'product_id', p_product_id,
        'on_hand', v_on_hand,
        'available', internal.available_stock(p_product_id)
    );
END
$$;
