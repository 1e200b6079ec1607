-- product_summary: a product as every list shows it (GET /products, recommendations, the
-- wishlist; GET /products/{id} adds to it): thumbnail and in_stock (units available now).
-- One expression with no sub-query, so that PostgreSQL inlines it into the caller's query.
CREATE FUNCTION api.product_summary(p_product store.products)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'id', p_product.id, 'name', p_product.name, 'slug', p_product.slug,
        'brand', p_product.brand, 'price', p_product.price, 'mrp', p_product.mrp,
        'image_url', api.product_thumbnail(p_product.id),
        'category_id', p_product.category_id,
        'age_min_months', p_product.age_min_months, 'age_max_months', p_product.age_max_months,
        'gender', p_product.gender,
        'in_stock', api.available_stock(p_product.id) > 0
    )
$$;
