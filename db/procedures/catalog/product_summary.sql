-- product_summary: a product as every list shows it (GET /products, recommendations, the
-- wishlist; GET /products/{id} adds to it): thumbnail and in_stock (units available now).
-- Given the product's thumbnail and available units, as a query gets them for many products
-- at once by joining api.thumbnail_of and api.stock_of (list_products, get_product); the
-- one-argument form below looks them up for a single product.
-- One expression with no sub-query, so that PostgreSQL inlines it into the caller's query.
CREATE FUNCTION api.product_summary(p_product store.products, p_thumbnail text, p_available integer)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'id', p_product.id, 'name', p_product.name, 'slug', p_product.slug,
        'brand', p_product.brand, 'price', p_product.price, 'mrp', p_product.mrp,
        'image_url', p_thumbnail,
        'category_id', p_product.category_id,
        'age_min_months', p_product.age_min_months, 'age_max_months', p_product.age_max_months,
        'gender', p_product.gender,
        'in_stock', p_available > 0
    )
$$;

CREATE FUNCTION api.product_summary(p_product store.products)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT api.product_summary(
        p_product, api.product_thumbnail(p_product.id), api.available_stock(p_product.id)
    )
$$;
