-- list_products_query: the dynamic statement of api.list_products, prepared once per connection
-- for each shape of filters. It answers the page's product ids in order (ids) and the number of
-- matches (total). The statement's text is assembled from the filters actually given (which are
-- there, in_stock true or false, which sort), so each shape is planned with its own indexes;
-- the values are its parameters, always the same ten:
--   $1 integer[] the category's subtree, $2 tsquery the search, $3 text the brand,
--   $4 bigint min_price, $5 bigint max_price, $6 integer the age in months, $7 text gender,
--   $8 integer page_size (LIMIT), $9 integer the page's offset, $10 text the one search word.
-- Why prepared: EXECUTE of plain text plans the statement at every call (the bench's filter:
-- 0.3-0.5 ms in a warm connection, about 2 ms in a fresh one). A prepared statement is
-- planned for its values 5 times, then PostgreSQL keeps one generic plan when that is not
-- costlier (checked with EXPLAIN EXECUTE for the shapes bench/test_plans.py covers; the
-- filter's generic plan also reads its page from products_category_price, where the custom
-- plans walked products_active_price through the heap).
-- Returns the statement's name, list_products_<md5 of its text> (a changed text, after a
-- deploy, is a new name: a connection never runs an old one), the PREPARE and the EXECUTE,
-- whose values are quoted literals (%L), so text from a client is never SQL. Both can be
-- pasted into psql, EXPLAIN EXECUTE included. Arguments as list_products validated them (sort
-- one of the five, an age from child_id already resolved).
-- Where the answers come from:
--   a category: the ids of its subtree, category_id = ANY ($1), one range each of the
--     products_category_price index, which also holds price, age, gender and has_stock;
--   total, when nothing but (maybe) a category filters: store.category_product_counts;
--   one search word and no other filter: store.search_term_counts gives the total and, sorted
--     by relevance, store.product_search_terms the page, in rank order from its index;
--   otherwise: count(*), and ORDER BY ... LIMIT, over products under the same conditions; with
--     a category, both from one scan of its matches (a MATERIALIZED CTE).
CREATE FUNCTION internal.list_products_query(
    p_page integer,
    p_page_size integer,
    p_category_id integer,
    p_q text,
    p_brand text,
    p_min_price bigint,
    p_max_price bigint,
    p_age_months integer,
    p_gender text,
    p_in_stock boolean,
    p_sort text,
    OUT statement_name text,
    OUT prepare_statement text,
    OUT execute_statement text
)
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_offset integer := internal.check_page(p_page, p_page_size);
    v_subtree integer[];
    v_category text;  -- the category condition, when one is given
    v_query tsquery;
    v_lexeme text;
    v_filters text[] := '{}';  -- every other condition
    v_where text;
    v_order text;
    v_ids text;
    v_total text;
    v_statement text;
BEGIN
    IF p_category_id IS NOT NULL THEN
        -- In FROM, the function is inlined into this query, whose plan plpgsql keeps.
        v_subtree := array(SELECT s.id FROM internal.category_subtree(p_category_id) AS s (id) ORDER BY s.id);
        v_category := 'p.category_id = ANY ($1)';
    END IF;
    IF nullif(btrim(p_q), '') IS NOT NULL THEN
        v_query := websearch_to_tsquery('english', p_q);
    END IF;
    -- A search of stop words only ("the") has no lexemes: it filters nothing.
    IF numnode(v_query) = 0 THEN
        v_query := NULL;
    END IF;
    IF v_query IS NOT NULL THEN
        v_filters := v_filters || 'p.search_vector @@ $2'::text;
    END IF;
    IF p_brand IS NOT NULL THEN
        v_filters := v_filters || 'lower(p.brand) = lower($3)'::text;
    END IF;
    IF p_min_price IS NOT NULL THEN
        v_filters := v_filters || 'p.price >= $4'::text;
    END IF;
    IF p_max_price IS NOT NULL THEN
        v_filters := v_filters || 'p.price <= $5'::text;
    END IF;
    IF p_age_months IS NOT NULL THEN
        v_filters := v_filters || 'p.age_min_months <= $6 AND p.age_max_months >= $6'::text;
    END IF;
    IF p_gender IS NOT NULL THEN
        v_filters := v_filters || 'p.gender IN ($7, ''unisex'')'::text;
    END IF;
    IF p_in_stock IS NOT NULL THEN
        -- available_stock > 0, read from p.has_stock (on_hand > 0) for a product without active
        -- reservations; only the few that hold some are asked (the reservations index).
        v_filters := v_filters || format(
            '%s(p.has_stock AND (p.id NOT IN (SELECT l.product_id FROM store.inventory_locks AS l'
            || ' WHERE l.status = ''active'') OR internal.available_stock(p.id) > 0))',
            CASE WHEN NOT p_in_stock THEN 'NOT ' ELSE '' END
        );
    END IF;

    v_where := array_to_string(array['p.is_active', v_category] || v_filters, ' AND ');  -- skips NULL
    v_order := CASE
        WHEN p_sort = 'relevance' AND v_query IS NOT NULL THEN 'ts_rank_cd(p.search_vector, $2) DESC, p.id'
        WHEN p_sort IN ('relevance', 'popularity') THEN 'p.sales_count DESC, p.id'
        WHEN p_sort = 'price_asc' THEN 'p.price, p.id'
        WHEN p_sort = 'price_desc' THEN 'p.price DESC, p.id'
        ELSE 'p.created_at DESC, p.id DESC'
    END;
    v_ids := format(
        'SELECT p.id FROM store.products AS p WHERE %s ORDER BY %s LIMIT $8 OFFSET $9', v_where, v_order
    );
    v_total := format('SELECT count(*) FROM store.products AS p WHERE %s', v_where);

    IF cardinality(v_filters) = 0 THEN
        v_total := 'SELECT coalesce(sum(c.active_products), 0) FROM store.category_product_counts AS c';
        IF v_subtree IS NOT NULL THEN
            v_total := v_total || ' WHERE c.category_id = ANY ($1)';
        END IF;
    ELSIF cardinality(v_filters) = 1 AND numnode(v_query) = 1 AND v_category IS NULL THEN
        -- One lexeme. Its text is the query written as a tsvector: both quote a lexeme alike.
        v_lexeme := (SELECT t.lexeme FROM unnest(v_query::text::tsvector) AS t);
        v_total := 'SELECT coalesce(sum(c.active_products), 0) FROM store.search_term_counts AS c'
            || ' WHERE c.lexeme = $10';
        IF p_sort = 'relevance' THEN
            v_ids := 'SELECT t.product_id FROM store.product_search_terms AS t WHERE t.lexeme = $10'
                || ' ORDER BY t.rank DESC, t.product_id LIMIT $8 OFFSET $9';
        END IF;
    END IF;

    -- With a category, the total is a count(*) whenever another filter is given (the kept
    -- counts above serve only a category alone, or one search word without a category).
    IF v_category IS NOT NULL AND cardinality(v_filters) > 0 THEN
        -- The category's index ranges hold a few thousand matches at most: read them once, the
        -- page's top-N and the count both from that. It keeps the id and the sort's first
        -- column only (its ties are broken by id). Backend CPU a statement, bench filter mix
        -- executed 1,500 times: 0.83 ms with two scans, 0.70 keeping price, sales_count and
        -- created_at, 0.56 keeping only price.
        v_statement := format(
            'WITH m AS MATERIALIZED (SELECT p.id, %s FROM store.products AS p WHERE %s)'
            || ' SELECT ARRAY(SELECT p.id FROM m AS p ORDER BY %s LIMIT $8 OFFSET $9) AS ids,'
            || ' (SELECT count(*) FROM m) AS total',
            substring(v_order FROM 'p\.\w+'), v_where, v_order
        );
    ELSE
        v_statement := format('SELECT ARRAY(%s) AS ids, (%s) AS total', v_ids, v_total);
    END IF;
    statement_name := 'list_products_' || md5(v_statement);
    prepare_statement := format(
        'PREPARE %I (integer[], tsquery, text, bigint, bigint, integer, text, integer, integer, text) AS %s',
        statement_name, v_statement
    );
    execute_statement := format(
        'EXECUTE %I (%L, %L, %L, %L, %L, %L, %L, %L, %L, %L)',
        statement_name, v_subtree, v_query, p_brand, p_min_price, p_max_price, p_age_months, p_gender,
        p_page_size, v_offset, v_lexeme
    );
END
$$;
