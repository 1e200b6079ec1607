-- get_cart: GET /cart. The user's cart (cart_body), created empty on first use.
-- Locks nothing (creating the cart is an insert that does nothing when it exists).
-- Raises JK401 unauthorized (user gone or account closed).
CREATE FUNCTION api.get_cart(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    INSERT INTO store.carts (user_id) VALUES (p_user_id) ON CONFLICT (user_id) DO NOTHING;
    RETURN internal.cart_body(p_user_id);
END
$$;
