-- admin_product_body: a product as staff see it, active or not: every column they may set
-- ("id", "category_id", "name", "slug", "brand", "description", "price", "mrp",
-- "age_min_months", "age_max_months", "gender", "hsn_code", "gst_rate", "is_active"), its stock
-- ("on_hand", "reserved": internal.reserved_stock, "available": internal.stock_of), its "images"
-- (internal.product_images_json), "created_at" and "updated_at". NULL for an unknown id.
-- Locks nothing.
CREATE FUNCTION internal.admin_product_body(p_product_id bigint)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'id', p.id, 'category_id', p.category_id, 'name', p.name, 'slug', p.slug,
        'brand', p.brand, 'description', p.description, 'price', p.price, 'mrp', p.mrp,
        'age_min_months', p.age_min_months, 'age_max_months', p.age_max_months,
        'gender', p.gender, 'hsn_code', p.hsn_code, 'gst_rate', p.gst_rate,
        'is_active', p.is_active,
        'on_hand', coalesce(i.on_hand, 0),
        'reserved', internal.reserved_stock(p.id),
        'available', s.available,
        'images', internal.product_images_json(p.id),
        'created_at', p.created_at,
        'updated_at', p.updated_at
    )
    FROM store.products AS p
    LEFT JOIN store.inventory AS i ON i.product_id = p.id
    CROSS JOIN LATERAL internal.stock_of(p.id) AS s
    WHERE p.id = p_product_id
$$;
