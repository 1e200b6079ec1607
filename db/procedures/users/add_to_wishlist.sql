-- add_to_wishlist: POST /users/me/wishlist. Saves an active product (in stock or not); saving
-- it again changes nothing (not even added_at). Answers the wishlist, as list_wishlist.
-- Locks nothing (INSERT ... ON CONFLICT DO NOTHING on the (user_id, product_id) key).
-- Raises JK401 unauthorized, JK404 product_not_found (unknown or inactive).
CREATE FUNCTION api.add_to_wishlist(p_user_id bigint, p_product_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    IF NOT EXISTS (SELECT FROM store.products AS p WHERE p.id = p_product_id AND p.is_active) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'product_not_found',
            DETAIL = format('No product with id %s', p_product_id);
    END IF;
    INSERT INTO store.wishlists (user_id, product_id) VALUES (p_user_id, p_product_id)
    ON CONFLICT (user_id, product_id) DO NOTHING;
    RETURN api.list_wishlist(p_user_id);
END
$$;
