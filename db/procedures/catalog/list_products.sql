-- list_products: GET /products. Active products, filtered, sorted and paginated.
-- Filters (all optional, combined with AND): category (with its sub-categories), full-text q
-- over name, brand and description, brand (case-blind), price bounds (inclusive, paise), a
-- child's age in months (age_months, or child_id: that child's age today), gender (boy or
-- girl, each also matching unisex), in_stock.
-- Sorts: relevance (text rank with q, else popularity), price_asc, price_desc, newest,
-- popularity; ties broken by id so pages never overlap.
-- The page's ids and the total come from internal.list_products_query's statement, assembled from
-- the filters actually given so that each shape gets its own plan and its own index, prepared
-- the first time a connection meets that shape and executed with this call's values (planned
-- once, not at every call); then one static query summarises the page's products.
-- VOLATILE: PREPARE and EXECUTE are utility statements, which PostgreSQL refuses in a STABLE
-- function. It writes nothing; the statements of a connection are not transactional, so one
-- prepared inside a transaction that rolls back stays prepared, and stays correct.
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
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_age_months integer := p_age_months;
    v_query record;
    v_name text;
    v_ids bigint[];
    v_total bigint;
BEGIN
    PERFORM internal.check_page(p_page, p_page_size);
    IF p_user_id IS NOT NULL THEN
        PERFORM internal.require_user(p_user_id);
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
        v_age_months := internal.child_age_months(p_user_id, p_child_id);
    END IF;

    v_query := internal.list_products_query(
        p_page, p_page_size, p_category_id, p_q, p_brand, p_min_price, p_max_price, v_age_months,
        p_gender, p_in_stock, p_sort
    );
    -- Executed, or prepared first when this connection has not got it (its first call of this
    -- shape; or DEALLOCATE / DISCARD ALL since). Caught rather than looked up: reading
    -- pg_prepared_statements lists every statement of the connection, 1.3 us each (a driver's
    -- own included), where the exception block costs about 1.3 us in all.
    BEGIN
        EXECUTE v_query.execute_statement INTO v_ids, v_total;
    EXCEPTION WHEN invalid_sql_statement_name THEN
        -- A connection keeps a shape's plan for good: past 64 of them (a client walking through
        -- filter combinations), forget them all rather than grow without bound.
        IF (
            SELECT count(*) FROM pg_catalog.pg_prepared_statements AS s
            WHERE s.name LIKE 'list\_products\_%'
        ) >= 64 THEN
            FOR v_name IN
                SELECT s.name FROM pg_catalog.pg_prepared_statements AS s
                WHERE s.name LIKE 'list\_products\_%'
            LOOP
                EXECUTE format('DEALLOCATE %I', v_name);
            END LOOP;
        END IF;
        EXECUTE v_query.prepare_statement;
        EXECUTE v_query.execute_statement INTO v_ids, v_total;
    END;

    -- Static SQL: PL/pgSQL plans it once per connection.
    RETURN jsonb_build_object(
        'items', (
            SELECT coalesce(jsonb_agg(internal.product_summary(p.summary, s.available) ORDER BY page.n), '[]')
            FROM unnest(v_ids) WITH ORDINALITY AS page (id, n)
            INNER JOIN store.product_summaries AS p ON page.id = p.product_id
            CROSS JOIN LATERAL internal.stock_of(p.product_id) AS s
        ),
        'page', p_page,
        'page_size', p_page_size,
        'total', v_total
    );
END
$$;
