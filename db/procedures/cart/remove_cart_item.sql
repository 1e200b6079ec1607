-- remove_cart_item: DELETE /cart/items/{id}. Removes a line from the user's cart.
-- Locks: the cart row (lock_cart).
-- Raises: JK401 unauthorized, JK404 cart_item_not_found (unknown or another user's line).
-- Returns the cart (cart_body).
CREATE FUNCTION api.remove_cart_item(p_user_id bigint, p_item_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    PERFORM internal.lock_cart(p_user_id);
    DELETE FROM store.cart_items WHERE user_id = p_user_id AND id = p_item_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'cart_item_not_found',
            DETAIL = format('No cart item with id %s', p_item_id);
    END IF;
    RETURN internal.cart_body(p_user_id);
END
$$;
