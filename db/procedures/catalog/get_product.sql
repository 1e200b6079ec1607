-- get_product: GET /products/{id}. An active product (internal.product_summary) with description,
-- images (their URLs versioned: store.versioned_image_url), category and the units available now.
-- Raises JK404 product_not_found for unknown and inactive products alike.
CREATE FUNCTION api.get_product(p_product_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_product jsonb;
BEGIN
    SELECT internal.product_summary(summary.summary, s.available) || jsonb_build_object(
        'description', p.description,
        'images', coalesce((
            SELECT jsonb_agg(
                jsonb_build_object(
                    'url', store.versioned_image_url(img.url, img.content_version),
                    'alt', img.alt, 'position', img.position
                )
                ORDER BY img.position
            )
            FROM store.product_images AS img WHERE img.product_id = p.id
        ), '[]'::jsonb),
        'category', jsonb_build_object('id', c.id, 'name', c.name),
        'stock', s.available
    )
    INTO v_product
    FROM store.products AS p
    INNER JOIN store.categories AS c ON c.id = p.category_id
    INNER JOIN store.product_summaries AS summary ON summary.product_id = p.id
    CROSS JOIN LATERAL internal.stock_of(p.id) AS s
    WHERE p.id = p_product_id AND p.is_active;

    IF v_product IS NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'product_not_found',
            DETAIL = format('No product with id %s', p_product_id);
    END IF;
    RETURN v_product;
END
$$;
