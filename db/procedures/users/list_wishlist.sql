-- list_wishlist: GET /users/me/wishlist. The products the user saved, newest first: each a
-- product summary (current price, in_stock) plus stock (units available now) and added_at.
-- A product that became inactive is left out (its entry stays, and shows again if the
-- product comes back).
-- Raises JK401 unauthorized.
CREATE FUNCTION api.list_wishlist(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
BEGIN
    PERFORM internal.require_user(p_user_id);
    RETURN jsonb_build_object('items', coalesce((
        SELECT jsonb_agg(
            internal.product_summary(summary.summary, s.available) || jsonb_build_object(
                'stock', s.available, 'added_at', w.created_at
            )
            ORDER BY w.created_at DESC, p.id DESC
        )
        FROM store.wishlists AS w
        INNER JOIN store.products AS p ON p.id = w.product_id
        INNER JOIN store.product_summaries AS summary ON summary.product_id = p.id
        CROSS JOIN LATERAL internal.stock_of(p.id) AS s
        WHERE w.user_id = p_user_id AND p.is_active
    ), '[]'::jsonb));
END
$$;
