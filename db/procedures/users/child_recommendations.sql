-- child_recommendations: GET /users/me/children/{id}/recommendations. Up to p_limit active,
-- in-stock products whose age range holds the child's age today, most popular first
-- (sales_count, then id), leaving out products already in the user's cart or wishlist.
-- Locks nothing. Raises JK401 unauthorized, JK404 child_not_found (unknown or another user's),
-- JK422 validation_error (limit: 1 to 50).
CREATE FUNCTION api.child_recommendations(p_user_id bigint, p_child_id bigint, p_limit integer DEFAULT 20)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_age_months integer;
BEGIN
    PERFORM internal.require_user(p_user_id);
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 50 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'limit',
            DETAIL = 'limit must be between 1 and 50';
    END IF;
    v_age_months := internal.child_age_months(p_user_id, p_child_id);

    -- The page of ids first, then their summaries: only p_limit products are summarised.
    RETURN jsonb_build_object('items', coalesce((
        SELECT jsonb_agg(internal.product_summary(summary.summary, s.available) ORDER BY p.sales_count DESC, p.id)
        FROM store.products AS p
        INNER JOIN store.product_summaries AS summary ON summary.product_id = p.id
        CROSS JOIN LATERAL internal.stock_of(p.id) AS s
        WHERE p.id IN (
            SELECT c.id
            FROM store.products AS c
            WHERE
                c.is_active
                AND c.age_min_months <= v_age_months AND c.age_max_months >= v_age_months
                AND internal.available_stock(c.id) > 0
                AND NOT EXISTS (
                    SELECT FROM store.cart_items AS ci
                    WHERE ci.user_id = p_user_id AND ci.product_id = c.id
                )
                AND NOT EXISTS (
                    SELECT FROM store.wishlists AS w
                    WHERE w.user_id = p_user_id AND w.product_id = c.id
                )
            ORDER BY c.sales_count DESC, c.id
            LIMIT p_limit
        )
    ), '[]'::jsonb));
END
$$;
