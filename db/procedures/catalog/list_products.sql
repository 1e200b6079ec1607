-- list_products: GET /products. Active products, filtered, sorted and paginated.
-- Filters (all optional, combined with AND): category (with its sub-categories), full-text q
-- over name, brand and description, brand (case-blind), price bounds (inclusive, paise), a
-- child's age in months (age_months, or child_id: that child's age today), gender (boy or
-- girl, each also matching unisex), in_stock.
-- Sorts: relevance (text rank with q, else popularity), price_asc, price_desc, newest,
-- popularity; ties broken by id so pages never overlap.
-- The query is assembled from the filters actually given, so each shape gets its own plan and
-- its own index.
-- p_user_id is the token's user when one was sent (NULL otherwise); child_id needs it.
-- Raises JK401 unauthorized (a token of a closed account; child_id without a token), JK404
-- child_not_found (unknown or another user's child), JK422 validation_error (page, page_size,
-- sort, gender, price bounds, age; age_months and child_id together).
-- Returns {"items": [...], "page", "page_size", "total"}.
CREATE FUNCTION api.list_products(
    p_page integer DEFAULT 1,
    p_page_size integer DEFAULT 20,
    p_category_id integer DEFAULT NULL,
    p_q text DEFAULT NULL,
    p_brand text DEFAULT NULL,
    p_min_price bigint DEFAULT NULL,
    p_max_price bigint DEFAULT NULL,
    p_age_months integer DEFAULT NULL,
    p_gender text DEFAULT NULL,
    p_in_stock boolean DEFAULT NULL,
    p_sort text DEFAULT 'relevance',
    p_user_id bigint DEFAULT NULL,
    p_child_id bigint DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_offset integer := api.check_page(p_page, p_page_size);
    v_age_months integer := p_age_months;
    v_query tsquery;
    v_where text := 'p.is_active';
    v_order text;
    v_total bigint;
    v_items jsonb;
BEGIN
    IF p_user_id IS NOT NULL THEN
        PERFORM api.require_user(p_user_id);
    END IF;
    IF p_sort IS NULL OR p_sort NOT IN ('relevance', 'price_asc', 'price_desc', 'newest', 'popularity') THEN
        RAISE EXCEPTION USING ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'sort',
            DETAIL = 'sort must be one of relevance, price_asc, price_desc, newest, popularity';
    END IF;
    IF p_gender NOT IN ('boy', 'girl') THEN
        RAISE EXCEPTION USING ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'gender',
            DETAIL = 'gender must be boy or girl';
    END IF;
    IF p_min_price < 0 OR p_max_price < 0 OR p_min_price > p_max_price THEN
        RAISE EXCEPTION USING ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'min_price',
            DETAIL = 'price bounds must be 0 or more, with min_price <= max_price';
    END IF;
    IF p_age_months NOT BETWEEN 0 AND 216 THEN
        RAISE EXCEPTION USING ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'age_months',
            DETAIL = 'age_months must be between 0 and 216';
    END IF;
    IF p_child_id IS NOT NULL THEN
        IF p_user_id IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'JK401', MESSAGE = 'unauthorized',
                DETAIL = 'child_id needs Authorization: Bearer <access_token>';
        END IF;
        -- One age only: a client that sends both has a bug worth seeing.
        IF p_age_months IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'JK422', MESSAGE = 'validation_error',
                COLUMN = 'child_id', DETAIL = 'give age_months or child_id, not both';
        END IF;
        v_age_months := api.child_age_months(p_user_id, p_child_id);
    END IF;

    IF p_category_id IS NOT NULL THEN
        v_where := v_where || ' AND p.category_id IN (SELECT api.category_subtree($1))';
    END IF;
    IF nullif(btrim(p_q), '') IS NOT NULL THEN
        v_query := websearch_to_tsquery('english', p_q);
    END IF;
    -- A search of stop words only ("the") has no lexemes: it filters nothing.
    IF numnode(v_query) = 0 THEN
        v_query := NULL;
    END IF;
    IF v_query IS NOT NULL THEN
        v_where := v_where || ' AND p.search_vector @@ $2';
    END IF;
    IF p_brand IS NOT NULL THEN
        v_where := v_where || ' AND lower(p.brand) = lower($3)';
    END IF;
    IF p_min_price IS NOT NULL THEN
        v_where := v_where || ' AND p.price >= $4';
    END IF;
    IF p_max_price IS NOT NULL THEN
        v_where := v_where || ' AND p.price <= $5';
    END IF;
    IF v_age_months IS NOT NULL THEN
        v_where := v_where || ' AND p.age_min_months <= $6 AND p.age_max_months >= $6';
    END IF;
    IF p_gender IS NOT NULL THEN
        v_where := v_where || ' AND p.gender IN ($7, ''unisex'')';
    END IF;
    IF p_in_stock IS NOT NULL THEN
        v_where := v_where || ' AND (api.available_stock(p.id) > 0) = $8';
    END IF;

    v_order := CASE
        WHEN p_sort = 'relevance' AND v_query IS NOT NULL
            THEN 'ts_rank_cd(p.search_vector, $2) DESC, p.id'
        WHEN p_sort IN ('relevance', 'popularity') THEN 'p.sales_count DESC, p.id'
        WHEN p_sort = 'price_asc' THEN 'p.price, p.id'
        WHEN p_sort = 'price_desc' THEN 'p.price DESC, p.id'
        ELSE 'p.created_at DESC, p.id DESC'
    END;

    EXECUTE 'SELECT count(*) FROM store.products AS p WHERE ' || v_where
    INTO v_total
    USING p_category_id, v_query, p_brand, p_min_price, p_max_price, v_age_months, p_gender,
        p_in_stock;

    EXECUTE format(
        $sql$
        SELECT coalesce(jsonb_agg(api.product_summary(p) ORDER BY page.ordinal), '[]'::jsonb)
        FROM (
            SELECT p.id, row_number() OVER (ORDER BY %1$s) AS ordinal
            FROM store.products AS p
            WHERE %2$s
            ORDER BY %1$s
            LIMIT $9 OFFSET $10
        ) AS page
        INNER JOIN store.products AS p ON p.id = page.id
        $sql$,
        v_order, v_where
    )
    INTO v_items
    USING p_category_id, v_query, p_brand, p_min_price, p_max_price, v_age_months, p_gender,
        p_in_stock, p_page_size, v_offset;

    RETURN jsonb_build_object(
        'items', v_items, 'page', p_page, 'page_size', p_page_size, 'total', v_total
    );
END
$$;
