-- checked_product: a product's settable columns as they will be stored, validated: what
-- admin_create_product and admin_update_product (the current row overlaid with the fields
-- sent) write. Text trimmed; the description '' when blank.
-- Raises JK422 validation_error naming the field: name (1-200 characters), slug (lower-case
-- words and digits joined by hyphens, at most 200), brand (1-100), description (at most 5000),
-- price (0 or more), mrp (not below price), age_min_months and age_max_months (0-216, min not
-- above max), gender (boy, girl, unisex), hsn_code (4, 6 or 8 digits), gst_rate (0, 5, 12,
-- 18); JK404 category_not_found (no such category, active or not).
-- Locks nothing. Returns the row (id, stock columns and timestamps unset).
CREATE FUNCTION internal.checked_product(
    p_category_id integer,
    p_name text,
    p_slug text,
    p_brand text,
    p_description text,
    p_price bigint,
    p_mrp bigint,
    p_age_min_months integer,
    p_age_max_months integer,
    p_gender text,
    p_hsn_code text,
    p_gst_rate integer,
    p_is_active boolean
)
RETURNS store.products
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_row store.products;
BEGIN
    v_row.name := internal.check_text(p_name, 'name', 200);
    v_row.slug := internal.checked_slug(p_slug);
    v_row.brand := internal.check_text(p_brand, 'brand', 100);
    v_row.description := coalesce(internal.check_text(p_description, 'description', 5000, FALSE), '');
    IF p_price IS NULL OR p_price < 0 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'price',
            DETAIL = 'price must be 0 paise or more';
    END IF;
    IF p_mrp IS NULL OR p_mrp < p_price THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'mrp',
            DETAIL = format('mrp must not be below the price (%s paise)', p_price);
    END IF;
    IF p_age_min_months IS NULL OR p_age_min_months NOT BETWEEN 0 AND 216 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'age_min_months',
            DETAIL = 'age_min_months must be between 0 and 216';
    END IF;
    IF p_age_max_months IS NULL OR p_age_max_months NOT BETWEEN p_age_min_months AND 216 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'age_max_months',
            DETAIL = format('age_max_months must be between age_min_months (%s) and 216', p_age_min_months);
    END IF;
    IF p_gender IS NULL OR p_gender NOT IN ('boy', 'girl', 'unisex') THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'gender',
            DETAIL = 'gender must be boy, girl or unisex';
    END IF;
    IF p_hsn_code IS NULL OR p_hsn_code !~ '^[0-9]{4}([0-9]{2}){0,2}$' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'hsn_code',
            DETAIL = 'hsn_code must be 4, 6 or 8 digits';
    END IF;
    IF p_gst_rate IS NULL OR p_gst_rate NOT IN (0, 5, 12, 18) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'gst_rate',
            DETAIL = 'gst_rate must be 0, 5, 12 or 18 (percent)';
    END IF;
    IF NOT EXISTS (SELECT FROM store.categories AS c WHERE c.id = p_category_id) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'category_not_found',
            DETAIL = format('No category with id %s', p_category_id);
    END IF;
    v_row.category_id := p_category_id;
    v_row.price := p_price;
    v_row.mrp := p_mrp;
    v_row.age_min_months := p_age_min_months;
    v_row.age_max_months := p_age_max_months;
    v_row.gender := p_gender;
    v_row.hsn_code := p_hsn_code;
    v_row.gst_rate := p_gst_rate;
    v_row.is_active := coalesce(p_is_active, TRUE);
    RETURN v_row;
END
$$;
