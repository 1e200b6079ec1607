-- list_products_query: the dynamic statement of api.list_products, as text. It answers the
-- page's product ids in order (ids) and the number of matches (total). Built from the filters
-- actually given, so each shape is planned with its own indexes; values are written in as
-- quoted literals (%L) or integers, so the text is exactly what runs and can be pasted into
-- EXPLAIN. Arguments as list_products validated them (sort one of the five, an age from
-- child_id already resolved).
-- Where the answers come from:
--   a category: the ids of its subtree, category_id = ANY (...), one range each of the
--     products_category_price index, which also holds price, age, gender and has_stock;
--   total, when nothing but (maybe) a category filters: store.category_product_counts;
--   one search word and no other filter: store.search_term_counts gives the total and, sorted
--     by relevance, store.product_search_terms the page, in rank order from its index;
--   otherwise: count(*), and ORDER BY ... LIMIT, over products under the same conditions.
CREATE FUNCTION api.list_products_query(
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
    p_sort text
)
RETURNS text
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_subtree integer[];
    v_category text;  -- the category condition, when one is given
    v_query tsquery;
    v_lexeme text;
    v_filters text[] := '{}';  -- every other condition
    v_where text;
    v_order text;
    v_limit text := format('LIMIT %s OFFSET %s', p_page_size, api.check_page(p_page, p_page_size));
    v_ids text;
    v_total text;
BEGIN
    IF p_category_id IS NOT NULL THEN
        -- In FROM, the function is inlined into this query, whose plan plpgsql keeps.
        v_subtree := array(SELECT s.id FROM api.category_subtree(p_category_id) AS s (id) ORDER BY s.id);
        v_category := format('p.category_id = ANY (%L::integer[])', v_subtree);
    END IF;
    IF nullif(btrim(p_q), '') IS NOT NULL THEN
        v_query := websearch_to_tsquery('english', p_q);
    END IF;
    -- A search of stop words only ("the") has no lexemes: it filters nothing.
    IF numnode(v_query) = 0 THEN
        v_query := NULL;
    END IF;
    IF v_query IS NOT NULL THEN
        v_filters := v_filters || format('p.search_vector @@ %L::tsquery', v_query);
    END IF;
    IF p_brand IS NOT NULL THEN
        v_filters := v_filters || format('lower(p.brand) = lower(%L)', p_brand);
    END IF;
    IF p_min_price IS NOT NULL THEN
        v_filters := v_filters || format('p.price >= %s', p_min_price);
    END IF;
    IF p_max_price IS NOT NULL THEN
        v_filters := v_filters || format('p.price <= %s', p_max_price);
    END IF;
    IF p_age_months IS NOT NULL THEN
        v_filters := v_filters || format(
            'p.age_min_months <= %1$s AND p.age_max_months >= %1$s', p_age_months
        );
    END IF;
    IF p_gender IS NOT NULL THEN
        v_filters := v_filters || format('p.gender IN (%L, ''unisex'')', p_gender);
    END IF;
    IF p_in_stock IS NOT NULL THEN
        -- available_stock > 0, read from p.has_stock (on_hand > 0) for a product without active
        -- reservations; only the few that hold some are asked (the reservations index).
        v_filters := v_filters || format(
            '%s(p.has_stock AND (p.id NOT IN (SELECT l.product_id FROM store.inventory_locks AS l'
            || ' WHERE l.status = ''active'') OR api.available_stock(p.id) > 0))',
            CASE WHEN NOT p_in_stock THEN 'NOT ' ELSE '' END
        );
    END IF;

    v_where := array_to_string(array['p.is_active', v_category] || v_filters, ' AND ');  -- skips NULL
    v_order := CASE
        WHEN p_sort = 'relevance' AND v_query IS NOT NULL
            THEN format('ts_rank_cd(p.search_vector, %L::tsquery) DESC, p.id', v_query)
        WHEN p_sort IN ('relevance', 'popularity') THEN 'p.sales_count DESC, p.id'
        WHEN p_sort = 'price_asc' THEN 'p.price, p.id'
        WHEN p_sort = 'price_desc' THEN 'p.price DESC, p.id'
        ELSE 'p.created_at DESC, p.id DESC'
    END;
    v_ids := format(
        'SELECT p.id FROM store.products AS p WHERE %s ORDER BY %s %s', v_where, v_order, v_limit
    );
    v_total := format('SELECT count(*) FROM store.products AS p WHERE %s', v_where);

    IF cardinality(v_filters) = 0 THEN
        v_total := 'SELECT coalesce(sum(c.active_products), 0) FROM store.category_product_counts AS c';
        IF v_subtree IS NOT NULL THEN
            v_total := v_total || format(' WHERE c.category_id = ANY (%L::integer[])', v_subtree);
        END IF;
    ELSIF cardinality(v_filters) = 1 AND numnode(v_query) = 1 AND v_category IS NULL THEN
        -- One lexeme. Its text is the query written as a tsvector: both quote a lexeme alike.
        v_lexeme := (SELECT t.lexeme FROM unnest(v_query::text::tsvector) AS t);
        v_total := format(
            'SELECT coalesce(sum(c.active_products), 0) FROM store.search_term_counts AS c'
            || ' WHERE c.lexeme = %L',
            v_lexeme
        );
        IF p_sort = 'relevance' THEN
            v_ids := format(
                'SELECT t.product_id FROM store.product_search_terms AS t WHERE t.lexeme = %L'
                || ' ORDER BY t.rank DESC, t.product_id %s',
                v_lexeme, v_limit
            );
        END IF;
    END IF;

    RETURN format('SELECT ARRAY(%s) AS ids, (%s) AS total', v_ids, v_total);
END
$$;
