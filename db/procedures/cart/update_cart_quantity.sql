-- update_cart_quantity: PUT /cart/items/{id}. Sets a line's quantity; 0 removes the line.
-- The cap (cart_line_limit) and the stock available now apply to the new quantity. The price
-- stored on the line is kept (only adding the product again refreshes it).
-- Locks: the cart row (lock_cart).
-- Raises: JK401 unauthorized, JK422 validation_error (quantity 0 or more), JK404
-- cart_item_not_found (unknown or another user's line), JK422 quantity_limit_exceeded, JK404
-- product_not_found (the product was switched off: the line can only be removed), JK409
-- insufficient_stock. Returns the cart (cart_body).
CREATE FUNCTION api.update_cart_quantity(p_user_id bigint, p_item_id bigint, p_quantity integer)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_limit constant integer := internal.cart_line_limit();
    v_line record;
    v_available integer;
BEGIN
    PERFORM internal.require_user(p_user_id);
    IF p_quantity IS NULL OR p_quantity < 0 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'quantity must be 0 (remove the line) or more', COLUMN = 'quantity';
    END IF;
    PERFORM internal.lock_cart(p_user_id);
    SELECT ci.id, p.id AS product_id, p.name, p.is_active
    INTO v_line
    FROM store.cart_items AS ci
    INNER JOIN store.products AS p ON p.id = ci.product_id
    WHERE ci.user_id = p_user_id AND ci.id = p_item_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'cart_item_not_found',
            DETAIL = format('No cart item with id %s', p_item_id);
    END IF;

    IF p_quantity = 0 THEN
        DELETE FROM store.cart_items WHERE user_id = p_user_id AND id = p_item_id;
        RETURN internal.cart_body(p_user_id);
    END IF;
    IF p_quantity > v_limit THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'quantity_limit_exceeded', COLUMN = 'quantity',
            DETAIL = format('At most %s units of ''%s'' fit in one cart line', v_limit, v_line.name);
    END IF;
    IF NOT v_line.is_active THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'product_not_found',
            DETAIL = format('''%s'' is no longer sold; remove it from the cart', v_line.name);
    END IF;
    v_available := internal.available_stock(v_line.product_id);
    IF p_quantity > v_available THEN
        PERFORM internal.raise_insufficient_stock(v_line.name, v_available);
    END IF;

    UPDATE store.cart_items SET quantity = p_quantity, updated_at = now()
    WHERE user_id = p_user_id AND id = p_item_id;
    RETURN internal.cart_body(p_user_id);
END
$$;
