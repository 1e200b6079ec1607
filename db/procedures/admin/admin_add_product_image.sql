-- admin_add_product_image: POST /admin/products/{id}/images. A picture: an https URL (at most
-- 2000 characters), its alt text (at most 300, default '') and its place among the product's
-- pictures (position: 0 first, the thumbnail lists show; left out or past the end: last).
-- The pictures after it move down one; all are numbered 0, 1, 2... (place_product_image).
-- Its content version is the stand-in of db/tables/380 (from the URL). GET /products/{id}
-- shows it at once (the pictures' triggers notify the cache). Audited as product.image_add
-- with the product's pictures before and after.
-- Locks: the product row (lock_product), then its pictures. Raises: JK401 unauthorized, JK403
-- forbidden, JK404 product_not_found, JK422 validation_error (url, alt).
-- Returns the new picture, {"id", "product_id", "url", "alt", "position", "content_version"},
-- with "images": all the product's pictures now (internal.product_images_json).
CREATE FUNCTION api.admin_add_product_image(
    p_user_id bigint,
    p_product_id bigint,
    p_url text,
    p_alt text DEFAULT NULL,
    p_position integer DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_before jsonb;
    v_after jsonb;
    v_id bigint;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    IF p_url IS NULL OR p_url !~ '^https://[^\s/]+\S*$' OR char_length(p_url) > 2000 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'url',
            DETAIL = 'url must be an https:// URL of at most 2000 characters, without spaces';
    END IF;
    PERFORM internal.lock_product(p_product_id);
    v_before := internal.product_images_json(p_product_id);
    INSERT INTO store.product_images AS img (product_id, url, alt, position)
    SELECT
        p_product_id, p_url, coalesce(internal.check_text(p_alt, 'alt', 300, FALSE), ''),
        coalesce(max(i.position) + 1, 0)
    FROM store.product_images AS i
    WHERE i.product_id = p_product_id
    RETURNING img.id INTO v_id;
    PERFORM internal.place_product_image(p_product_id, v_id, coalesce(p_position, 32767));
    v_after := internal.product_images_json(p_product_id);
    PERFORM internal.audit(p_user_id, 'product.image_add', 'product', p_product_id, v_before, v_after);
    RETURN (
        SELECT i.value || jsonb_build_object('product_id', p_product_id, 'images', v_after)
        FROM jsonb_array_elements(v_after) AS i (value)
        WHERE (i.value ->> 'id')::bigint = v_id
    );
END
$$;
