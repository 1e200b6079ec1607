-- admin_remove_product_image: DELETE /admin/products/{id}/images/{image_id}. The picture goes;
-- the others close up, numbered 0, 1, 2... (place_product_image), so the next becomes the
-- thumbnail when the first goes. Audited as product.image_remove with the product's pictures
-- before and after.
-- Locks: the product row (lock_product), then its pictures. Raises: JK401 unauthorized, JK403
-- forbidden, JK404 product_not_found, JK404 image_not_found (not a picture of this product).
-- Returns internal.admin_product_body.
CREATE FUNCTION api.admin_remove_product_image(p_user_id bigint, p_product_id bigint, p_image_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_before jsonb;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    PERFORM internal.lock_product(p_product_id);
    v_before := internal.product_images_json(p_product_id);
    DELETE FROM store.product_images AS img WHERE img.id = p_image_id AND img.product_id = p_product_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'image_not_found',
            DETAIL = format('Product %s has no picture %s', p_product_id, p_image_id);
    END IF;
    PERFORM internal.place_product_image(p_product_id, NULL, NULL);
    PERFORM internal.audit(
        p_user_id, 'product.image_remove', 'product', p_product_id, v_before,
        internal.product_images_json(p_product_id)
    );
    RETURN internal.admin_product_body(p_product_id);
END
$$;
