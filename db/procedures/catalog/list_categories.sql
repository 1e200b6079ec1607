-- list_categories: GET /products/categories/. Active categories, top level first, with the number
-- of active products in each, sub-categories included (what filtering by it would list).
-- Each category's own count is kept by the database (store.category_product_counts), so this
-- sums a few rows per subtree and never reads the products. PL/pgSQL so that the plan is kept
-- for the connection (see internal.available_stock).
CREATE FUNCTION api.list_categories()
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
BEGIN
    RETURN (
        WITH subtree_counts AS (
            SELECT c.id, coalesce(sum(own.active_products), 0) AS products
            FROM store.categories AS c
            CROSS JOIN LATERAL internal.category_subtree(c.id) AS sub (id)
            LEFT JOIN store.category_product_counts AS own ON sub.id = own.category_id
            WHERE c.is_active
            GROUP BY c.id
        )

        SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
            'id', c.id, 'name', c.name, 'slug', c.slug, 'parent_id', c.parent_id,
            'product_count', subtree_counts.products
        ) ORDER BY c.parent_id NULLS FIRST, c.position, c.id), '[]'::jsonb))
        FROM store.categories AS c
        INNER JOIN subtree_counts ON subtree_counts.id = c.id
    );
END
$$;
