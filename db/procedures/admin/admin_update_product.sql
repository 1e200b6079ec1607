-- admin_update_product: PATCH /admin/products/{id}. Changes only the fields sent (a field left
-- out, or null, keeps its value); the result is validated whole (internal.checked_product),
-- so a price above the current mrp needs the mrp too. is_active false takes the product off
-- the catalog (GET /products/{id} answers 404, lists leave it out, carts and checkout refuse
-- it); true puts it back. Orders already placed keep their frozen prices. Readers see the
-- change at once: the tables' triggers notify the catalog cache (db/tables/370, 420).
-- Audited as product.update with the row before and after (nothing when nothing changed).
-- Locks: the product row (internal.lock_product). Raises: JK401 unauthorized, JK403 forbidden,
-- JK404 product_not_found, JK422 validation_error (naming the field), JK404 category_not_found,
-- JK409 product_slug_taken.
-- Returns internal.admin_product_body.
CREATE FUNCTION api.admin_update_product(
    p_user_id bigint,
    p_product_id bigint,
    p_category_id integer DEFAULT NULL,
    p_name text DEFAULT NULL,
    p_slug text DEFAULT NULL,
    p_brand text DEFAULT NULL,
    p_description text DEFAULT NULL,
    p_price bigint DEFAULT NULL,
    p_mrp bigint DEFAULT NULL,
    p_age_min_months integer DEFAULT NULL,
    p_age_max_months integer DEFAULT NULL,
    p_gender text DEFAULT NULL,
    p_hsn_code text DEFAULT NULL,
    p_gst_rate integer DEFAULT NULL,
    p_is_active boolean DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_old store.products;
    v_row store.products;
    v_new store.products;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    v_old := internal.lock_product(p_product_id);
    v_row := internal.checked_product(
        coalesce(p_category_id, v_old.category_id), coalesce(p_name, v_old.name),
        coalesce(p_slug, v_old.slug), coalesce(p_brand, v_old.brand),
        coalesce(p_description, v_old.description), coalesce(p_price, v_old.price),
        coalesce(p_mrp, v_old.mrp), coalesce(p_age_min_months, v_old.age_min_months),
        coalesce(p_age_max_months, v_old.age_max_months), coalesce(p_gender, v_old.gender),
        coalesce(p_hsn_code, v_old.hsn_code), coalesce(p_gst_rate, v_old.gst_rate),
        coalesce(p_is_active, v_old.is_active)
    );
    BEGIN
        UPDATE store.products AS p
        SET category_id = v_row.category_id, name = v_row.name, slug = v_row.slug,
            brand = v_row.brand, description = v_row.description, price = v_row.price,
            mrp = v_row.mrp, age_min_months = v_row.age_min_months,
            age_max_months = v_row.age_max_months, gender = v_row.gender,
            hsn_code = v_row.hsn_code, gst_rate = v_row.gst_rate, is_active = v_row.is_active,
            updated_at = now()
        WHERE p.id = p_product_id
            AND (p.category_id, p.name, p.slug, p.brand, p.description, p.price, p.mrp,
                p.age_min_months, p.age_max_months, p.gender, p.hsn_code, p.gst_rate, p.is_active)
            IS DISTINCT FROM (v_row.category_id, v_row.name, v_row.slug, v_row.brand,
                v_row.description, v_row.price, v_row.mrp, v_row.age_min_months,
                v_row.age_max_months, v_row.gender, v_row.hsn_code, v_row.gst_rate, v_row.is_active)
        RETURNING p.* INTO v_new;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'product_slug_taken', COLUMN = 'slug',
            DETAIL = format('Another product has the slug %s', v_row.slug);
    END;
    IF v_new.id IS NOT NULL THEN
        PERFORM internal.audit(
            p_user_id, 'product.update', 'product', p_product_id,
            to_jsonb(v_old) - 'search_vector', to_jsonb(v_new) - 'search_vector'
        );
    END IF;
    RETURN internal.admin_product_body(p_product_id);
END
$$;
