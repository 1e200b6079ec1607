-- list_products_query: the dynamic statement of list_products, prepared once per shape and
-- executed with the call's values, answering the page's product ids in order and the total.
-- The total comes from the maintained counts when nothing but a category filters, from the
-- search-term counts for a search of one word and nothing else (whose page, sorted by
-- relevance, comes from the search terms), and from count(*) otherwise (with a category, in
-- the same scan as the page); a category filter is its subtree; the statement's text has no
-- value in it (every value is a parameter, written in the EXECUTE as a quoted literal, so text
-- from a client is never SQL) and its name is its md5; the statement answers exactly what
-- list_products lists; list_products prepares a shape once per connection, again when it was
-- deallocated, and keeps no more than 64 of them.
BEGIN;

SELECT plan(19);

-- The statement for a filter set (page 1 of 20): name, PREPARE and EXECUTE.
CREATE FUNCTION pg_temp.q(
    p_category_id integer DEFAULT NULL, p_q text DEFAULT NULL, p_brand text DEFAULT NULL,
    p_in_stock boolean DEFAULT NULL, p_sort text DEFAULT 'relevance', p_min_price bigint DEFAULT NULL
)
RETURNS TABLE (statement_name text, prepare_statement text, execute_statement text)
LANGUAGE sql
AS $$
    SELECT * FROM internal.list_products_query(
        1, 20, p_category_id, p_q, p_brand, p_min_price, NULL, NULL, NULL, p_in_stock, p_sort
    )
$$;

-- What the statement answers, as list_products shows it: {"ids": [...], "total": n}.
CREATE FUNCTION pg_temp.run(p_name text, p_prepare text, p_execute text)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    v_ids bigint[];
    v_total bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_prepared_statements AS s WHERE s.name = p_name) THEN
        EXECUTE p_prepare;
    END IF;
    EXECUTE p_execute INTO v_ids, v_total;
    RETURN jsonb_build_object('ids', to_jsonb(v_ids), 'total', v_total);
END
$$;

DO $$
BEGIN
    PERFORM tests.set_id('root', tests.make_category('Query root'));
    PERFORM tests.set_id('child', tests.make_category('Query child', tests.id('root')::integer));
END
$$;

SELECT matches(
    (SELECT q.prepare_statement FROM pg_temp.q() AS q),
    '\(SELECT coalesce\(sum\(c.active_products\), 0\) FROM store.category_product_counts AS c\) AS total$',
    'no filter: the total is the sum of the maintained counts'
);
SELECT matches(
    (SELECT q.prepare_statement FROM pg_temp.q(tests.id('root')::integer, p_sort => 'price_asc') AS q),
    'FROM store.category_product_counts AS c WHERE c.category_id = ANY \(\$1\)',
    'a category alone: the maintained counts of its subtree'
);
SELECT matches(
    (SELECT q.prepare_statement FROM pg_temp.q(tests.id('root')::integer) AS q),
    'p.category_id = ANY \(\$1\)',
    'the category filter is a parameter'
);
SELECT matches(
    (SELECT q.execute_statement FROM pg_temp.q(tests.id('root')::integer) AS q),
    format('^EXECUTE list_products_[0-9a-f]{32} \(''\{%s,%s\}'', NULL,', tests.id('root'), tests.id('child')),
    'its value is the subtree''s ids'
);
SELECT matches(
    (SELECT q.prepare_statement FROM pg_temp.q(p_q => 'Trains') AS q),
    ' AS SELECT ARRAY\(SELECT t.product_id FROM store.product_search_terms AS t WHERE t.lexeme = \$10'
    || ' ORDER BY t.rank DESC, t.product_id LIMIT \$8 OFFSET \$9\) AS ids, '
    || '\(SELECT coalesce\(sum\(c.active_products\), 0\) FROM store.search_term_counts AS c'
    || ' WHERE c.lexeme = \$10\) AS total$',
    'one word: the page from the search terms, the total from their counts, for its lexeme'
);
SELECT matches(
    (SELECT q.execute_statement FROM pg_temp.q(p_q => 'the Trains') AS q),
    ', ''20'', ''0'', ''train''\)$',
    'the lexeme is the last value; stop words do not count as words'
);
SELECT ok(
    (
        SELECT
            q.prepare_statement ~ 'ORDER BY p.price, p.id'
            AND q.prepare_statement ~ 'FROM store.search_term_counts'
        FROM pg_temp.q(p_q => 'train', p_sort => 'price_asc') AS q
    ),
    'one word sorted by price: the page from products, the total from the search-term counts'
);
SELECT ok(
    (
        SELECT
            q.prepare_statement !~ 'search_term' AND q.prepare_statement ~ 'p.search_vector @@ \$2'
            AND q.execute_statement ~ '^EXECUTE \S+ \(NULL, ''''''wooden'''' & ''''train'''''','
        FROM pg_temp.q(p_q => 'wooden train') AS q
    ),
    'two words: the full-text condition on products'
);
SELECT ok(
    (SELECT q.prepare_statement !~ 'search_term' FROM pg_temp.q(tests.id('root')::integer, 'train') AS q),
    'a word and a category: counted on products'
);
SELECT matches(
    (SELECT q.prepare_statement FROM pg_temp.q(p_brand => 'lego') AS q),
    '\(SELECT count\(\*\) FROM store.products AS p WHERE .*\) AS total$',
    'any other filter: count(*) over products'
);
SELECT matches(
    (SELECT q.prepare_statement FROM pg_temp.q(tests.id('root')::integer, p_min_price => 100) AS q),
    ' AS WITH m AS MATERIALIZED \(SELECT p.id, p.sales_count FROM store.products AS p'
    || ' WHERE p.is_active AND p.category_id = ANY \(\$1\) AND p.price >= \$4\)'
    || ' SELECT ARRAY\(SELECT p.id FROM m AS p ORDER BY p.sales_count DESC, p.id'
    || ' LIMIT \$8 OFFSET \$9\) AS ids,'
    || ' \(SELECT count\(\*\) FROM m\) AS total$',
    'a category and another filter: the page and the count from one scan of the matches'
);
SELECT matches(
    (SELECT q.prepare_statement FROM pg_temp.q(p_in_stock => FALSE) AS q),
    'NOT \(p.has_stock AND',
    'in_stock false: the negation of the in-stock condition'
);
SELECT ok(
    (
        SELECT
            q.prepare_statement !~ 'DROP'
            AND q.execute_statement ~ $r$, 'x''\); DROP TABLE store.products; --', NULL,$r$
        FROM pg_temp.q(p_brand => $b$x'); DROP TABLE store.products; --$b$) AS q
    ),
    'a value is not in the statement, and is a quoted literal in the EXECUTE, whatever it holds'
);
SELECT ok(
    (
        SELECT
            a.statement_name = 'list_products_' || md5(substring(a.prepare_statement FROM ' AS (.*)$'))
            AND a.statement_name = b.statement_name AND a.prepare_statement = b.prepare_statement
            AND a.execute_statement <> b.execute_statement
            AND a.statement_name <> c.statement_name
        FROM pg_temp.q(p_brand => 'lego') AS a, pg_temp.q(p_brand => 'chicco') AS b,
            pg_temp.q(p_brand => 'lego', p_sort => 'newest') AS c
    ),
    'the name is the md5 of the statement: one per shape, whatever the values'
);
SELECT is(
    (
        SELECT count(*)::integer
        FROM (
            VALUES
            (NULL::integer, NULL, NULL, NULL::boolean, 'relevance'),
            (tests.id('root')::integer, NULL, NULL, NULL, 'newest'),
            (NULL, 'lego', NULL, NULL, 'relevance'),
            (NULL, 'soft toy', NULL, TRUE, 'price_desc'),
            (NULL, NULL, $b$x'); DROP TABLE store.products; --$b$, NULL, 'popularity')
        ) AS f (category_id, q, brand, in_stock, sort)
        CROSS JOIN
            LATERAL (
                SELECT api.list_products(
                    p_category_id => f.category_id, p_q => f.q, p_brand => f.brand,
                    p_in_stock => f.in_stock, p_sort => f.sort
                ) AS answer
            ) AS l
        CROSS JOIN LATERAL pg_temp.q(f.category_id, f.q, f.brand, f.in_stock, f.sort) AS q
        WHERE
            pg_temp.run(q.statement_name, q.prepare_statement, q.execute_statement)
            IS DISTINCT FROM jsonb_build_object(
                'ids', to_jsonb(tests.item_ids(l.answer)), 'total', l.answer -> 'total'
            )
    ),
    0,
    'the statement answers the ids and total list_products lists (a brand of SQL is a brand)'
);

-- list_products prepares each shape once per connection.
DEALLOCATE ALL;
DO $$
BEGIN
    PERFORM api.list_products(p_brand => 'lego');
    PERFORM api.list_products(p_brand => 'chicco');
END
$$;
SELECT is(
    (
        SELECT array_agg(s.name)
        FROM pg_prepared_statements AS s
        WHERE s.name LIKE 'list\_products\_%'
    ),
    ARRAY[(SELECT q.statement_name FROM pg_temp.q(p_brand => 'lego') AS q)],
    'two calls of one shape: one statement, prepared by the first'
);
DEALLOCATE ALL;
SELECT is(
    (SELECT api.list_products(p_brand => 'lego') -> 'total'),
    (
        SELECT to_jsonb(count(*)::integer) FROM store.products AS p
        WHERE p.is_active AND lower(p.brand) = 'lego'
    ),
    'a statement deallocated since (DISCARD ALL of a pool) is prepared again'
);

-- 64 statements of other shapes: the next new one forgets them first.
DO $$
BEGIN
    FOR i IN 1..64 LOOP
        EXECUTE format('PREPARE list_products_test%s AS SELECT 1', i);
    END LOOP;
END
$$;
SELECT is(
    (SELECT api.list_products(p_brand => 'chicco', p_sort => 'newest') ->> 'page'),
    '1',
    'a new shape past 64 statements is answered'
);
SELECT is(
    (
        SELECT array_agg(s.name)
        FROM pg_prepared_statements AS s
        WHERE s.name LIKE 'list\_products\_%'
    ),
    ARRAY[(SELECT q.statement_name FROM pg_temp.q(p_brand => 'chicco', p_sort => 'newest') AS q)],
    'with 64 or more prepared, the others are forgotten'
);

SELECT * FROM finish(); -- noqa: AM04
DEALLOCATE ALL;
ROLLBACK;
