-- admin_create_product: POST /admin/products. A new product (internal.checked_product), with
-- an inventory row of 0 units on hand (stock comes through stock adjustments). mrp defaults to
-- the price; active unless is_active is false. The catalog cache and the change notifications
-- follow through the tables' triggers (db/tables/370, 420). Audited as product.create.
-- Locks nothing beyond the new rows. Raises: JK401 unauthorized, JK403 forbidden,
-- JK422 validation_error (naming the field), JK404 category_not_found, JK409
-- product_slug_taken.
-- Returns internal.admin_product_body.
CREATE FUNCTION api.admin_create_product(
    p_user_id bigint,
    p_category_id integer,
    p_name text,
    p_slug text,
    p_brand text,
    p_price bigint,
    p_hsn_code text,
    p_gst_rate integer,
    p_mrp bigint DEFAULT NULL,
    p_description text DEFAULT NULL,
    p_age_min_months integer DEFAULT 0,
    p_age_max_months integer DEFAULT 216,
    p_gender text DEFAULT 'unisex',
    p_is_active boolean DEFAULT TRUE
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_row store.products;
    v_id bigint;
    v_body jsonb;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    v_row := internal.checked_product(
        p_category_id, p_name, p_slug, p_brand, p_description, p_price, coalesce(p_mrp, p_price),
        coalesce(p_age_min_months, 0), coalesce(p_age_max_months, 216),
        coalesce(p_gender, 'unisex'), p_hsn_code, p_gst_rate, p_is_active
    );
    BEGIN
        INSERT INTO store.products AS p (
            category_id, name, slug, brand, description, price, mrp, age_min_months,
            age_max_months, gender, hsn_code, gst_rate, is_active
        )
        VALUES (
            v_row.category_id, v_row.name, v_row.slug, v_row.brand, v_row.description,
            v_row.price, v_row.mrp, v_row.age_min_months, v_row.age_max_months, v_row.gender,
            v_row.hsn_code, v_row.gst_rate, v_row.is_active
        )
        RETURNING p.id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'product_slug_taken', COLUMN = 'slug',
            DETAIL = format('Another product has the slug %s', v_row.slug);
    END;
    INSERT INTO store.inventory (product_id, on_hand) VALUES (v_id, 0);
    v_body := internal.admin_product_body(v_id);
    PERFORM internal.audit(
        p_user_id, 'product.create', 'product', v_id, NULL,
        to_jsonb((SELECT p FROM store.products AS p WHERE p.id = v_id)) - 'search_vector'
    );
    RETURN v_body;
END
$$;
