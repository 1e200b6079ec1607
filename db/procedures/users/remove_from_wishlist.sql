-- remove_from_wishlist: DELETE /users/me/wishlist/{product_id}. Removes the product from the
-- user's wishlist; removing one that is not there changes nothing (like adding twice). Answers
-- the wishlist, as list_wishlist.
-- Locks the entry (DELETE). Raises JK401 unauthorized.
CREATE FUNCTION api.remove_from_wishlist(p_user_id bigint, p_product_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    DELETE FROM store.wishlists WHERE user_id = p_user_id AND product_id = p_product_id;
    RETURN api.list_wishlist(p_user_id);
END
$$;
