-- add_to_cart: POST /cart/items. Adds units of an active product to the cart; the same product
-- again adds to its line, and the per-line cap (cart_line_limit) and the stock available now
-- apply to the line's new total. The line stores the product's current price (the price the
-- customer saw when adding), which validation later compares for price_changed.
-- Carts do not reserve stock: lock_inventory does, at checkout.
-- Locks: the cart row (lock_cart).
-- Raises: JK401 unauthorized, JK422 validation_error (quantity must be 1 or more), JK404
-- product_not_found (unknown or switched off), JK422 quantity_limit_exceeded, JK409
-- insufficient_stock. Returns the cart (cart_body).
CREATE FUNCTION api.add_to_cart(p_user_id bigint, p_product_id bigint, p_quantity integer)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_limit constant integer := internal.cart_line_limit();
    v_product store.products;
    v_cart_id bigint;
    v_in_cart integer;
    v_wanted bigint;
    v_available integer;
BEGIN
    PERFORM internal.require_user(p_user_id);
    IF p_quantity IS NULL OR p_quantity < 1 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'quantity must be 1 or more', COLUMN = 'quantity';
    END IF;
    SELECT * INTO v_product FROM store.products WHERE id = p_product_id AND is_active;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'product_not_found',
            DETAIL = format('No product with id %s', p_product_id);
    END IF;

    v_cart_id := internal.lock_cart(p_user_id);
    v_in_cart := coalesce((
        SELECT ci.quantity FROM store.cart_items AS ci
        WHERE ci.user_id = p_user_id AND ci.cart_id = v_cart_id AND ci.product_id = p_product_id
    ), 0);
    v_wanted := v_in_cart::bigint + p_quantity;  -- bigint: a huge quantity must not overflow
    IF v_wanted > v_limit THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'quantity_limit_exceeded', COLUMN = 'quantity',
            DETAIL = format('At most %s units of ''%s'' fit in one cart line', v_limit, v_product.name)
                || CASE WHEN v_in_cart > 0 THEN format('; your cart holds %s already', v_in_cart) ELSE '' END;
    END IF;
    v_available := internal.available_stock(p_product_id);
    IF v_wanted > v_available THEN
        PERFORM internal.raise_insufficient_stock(v_product.name, v_available);
    END IF;

    INSERT INTO store.cart_items AS ci (user_id, cart_id, product_id, quantity, unit_price)
    VALUES (p_user_id, v_cart_id, p_product_id, v_wanted, v_product.price)
    ON CONFLICT (user_id, cart_id, product_id) DO UPDATE
    SET quantity = excluded.quantity, unit_price = excluded.unit_price, updated_at = now();
    RETURN internal.cart_body(p_user_id);
END
$$;
