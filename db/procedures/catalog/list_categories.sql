-- list_categories: GET /products/categories/. Active categories, top level first, with the number
-- of active products in each, sub-categories included (what filtering by it would list).
CREATE FUNCTION api.list_categories()
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
        'id', c.id, 'name', c.name, 'slug', c.slug, 'parent_id', c.parent_id,
        'product_count', (
            SELECT count(*)
            FROM store.products AS p
            WHERE p.is_active AND p.category_id IN (SELECT api.category_subtree(c.id))
        )
    ) ORDER BY c.parent_id NULLS FIRST, c.position, c.id), '[]'::jsonb))
    FROM store.categories AS c
    WHERE c.is_active
$$;
