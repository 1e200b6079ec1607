-- admin_update_product_image: PATCH /admin/products/{id}/images/{image_id}. Changes the alt
-- text and/or moves the picture to another place (position: 0 first; past the end: last), the
-- others keeping their order; all are numbered 0, 1, 2... again (place_product_image).
-- Audited as product.image_update with the product's pictures before and after (nothing when
-- nothing changed).
-- Locks: the product row (lock_product), then its pictures. Raises: JK401 unauthorized, JK403
-- forbidden, JK404 product_not_found, JK404 image_not_found (not a picture of this product),
-- JK422 validation_error (alt).
-- Returns internal.admin_product_body.
CREATE FUNCTION api.admin_update_product_image(
    p_user_id bigint,
    p_product_id bigint,
    p_image_id bigint,
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
BEGIN
    PERFORM internal.require_staff(p_user_id);
    PERFORM internal.lock_product(p_product_id);
    IF NOT EXISTS (
        SELECT FROM store.product_images AS img WHERE img.id = p_image_id AND img.product_id = p_product_id
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'image_not_found',
            DETAIL = format('Product %s has no picture %s', p_product_id, p_image_id);
    END IF;
    v_before := internal.product_images_json(p_product_id);
    IF p_alt IS NOT NULL THEN
        UPDATE store.product_images AS img
        SET alt = coalesce(internal.check_text(p_alt, 'alt', 300, FALSE), '')
        WHERE img.id = p_image_id AND img.alt IS DISTINCT FROM coalesce(btrim(p_alt, E' \t\r\n'), '');
    END IF;
    IF p_position IS NOT NULL THEN
        PERFORM internal.place_product_image(p_product_id, p_image_id, p_position);
    END IF;
    v_after := internal.product_images_json(p_product_id);
    IF v_after IS DISTINCT FROM v_before THEN
        PERFORM internal.audit(
            p_user_id, 'product.image_update', 'product', p_product_id, v_before, v_after
        );
    END IF;
    RETURN internal.admin_product_body(p_product_id);
END
$$;
