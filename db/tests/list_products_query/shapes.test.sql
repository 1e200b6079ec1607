-- list_products_query: the dynamic statement of list_products, answering the page's product ids
-- in order and the total. The total comes from the maintained counts when nothing but a
-- category filters, from the search-term counts for a search of one word and nothing else
-- (whose page, sorted by relevance, comes from the search terms), and from count(*) otherwise;
-- a category filter is its subtree; every value is a quoted literal, so text from a client is
-- never SQL; and the statement answers exactly what list_products lists.
BEGIN;

SELECT plan(12);

-- The statement for a filter set, as text (page 1 of 20).
CREATE FUNCTION pg_temp.q(
    p_category_id integer DEFAULT NULL, p_q text DEFAULT NULL, p_brand text DEFAULT NULL,
    p_in_stock boolean DEFAULT NULL, p_sort text DEFAULT 'relevance'
)
RETURNS text
LANGUAGE sql
AS $$
    SELECT api.list_products_query(
        1, 20, p_category_id, p_q, p_brand, NULL, NULL, NULL, NULL, p_in_stock, p_sort
    )
$$;

-- What the statement answers, as list_products shows it: {"ids": [...], "total": n}.
CREATE FUNCTION pg_temp.run(p_statement text)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    v_ids bigint[];
    v_total bigint;
BEGIN
    EXECUTE p_statement INTO v_ids, v_total;
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
    pg_temp.q(),
    '\(SELECT coalesce\(sum\(c.active_products\), 0\) FROM store.category_product_counts AS c\) AS total$',
    'no filter: the total is the sum of the maintained counts'
);
SELECT matches(
    pg_temp.q(tests.id('root')::integer, p_sort => 'price_asc'),
    format(
        'FROM store.category_product_counts AS c WHERE c.category_id = ANY \(''\{%s,%s\}''::integer\[\]\)',
        tests.id('root'), tests.id('child')
    ),
    'a category alone: the maintained counts of its subtree'
);
SELECT matches(
    pg_temp.q(tests.id('root')::integer),
    format('p.category_id = ANY \(''\{%s,%s\}''::integer\[\]\)', tests.id('root'), tests.id('child')),
    'the category filter is the subtree''s ids'
);
SELECT matches(
    pg_temp.q(p_q => 'Trains'),
    '^SELECT ARRAY\(SELECT t.product_id FROM store.product_search_terms AS t WHERE t.lexeme = ''train'''
    || ' ORDER BY t.rank DESC, t.product_id LIMIT 20 OFFSET 0\) AS ids, '
    || '\(SELECT coalesce\(sum\(c.active_products\), 0\) FROM store.search_term_counts AS c'
    || ' WHERE c.lexeme = ''train''\) AS total$',
    'one word: the page from the search terms, the total from their counts, for its lexeme'
);
SELECT matches(
    pg_temp.q(p_q => 'the trains'),
    't.lexeme = ''train''',
    'stop words do not count as words'
);
SELECT ok(
    pg_temp.q(p_q => 'train', p_sort => 'price_asc') ~ 'ORDER BY p.price, p.id'
    AND pg_temp.q(p_q => 'train', p_sort => 'price_asc') ~ 'FROM store.search_term_counts',
    'one word sorted by price: the page from products, the total from the search-term counts'
);
SELECT ok(
    pg_temp.q(p_q => 'wooden train') !~ 'search_term'
    AND pg_temp.q(p_q => 'wooden train') ~ 'p.search_vector @@ ''''''wooden'''' & ''''train''''''::tsquery',
    'two words: the full-text condition on products'
);
SELECT ok(
    pg_temp.q(tests.id('root')::integer, 'train') !~ 'search_term',
    'a word and a category: counted on products'
);
SELECT matches(
    pg_temp.q(p_brand => 'lego'), '\(SELECT count\(\*\) FROM store.products AS p WHERE .*\) AS total$',
    'any other filter: count(*) over products'
);
SELECT matches(
    pg_temp.q(p_in_stock => FALSE), 'NOT \(p.has_stock AND',
    'in_stock false: the negation of the in-stock condition'
);
SELECT matches(
    pg_temp.q(p_brand => $b$x'); DROP TABLE store.products; --$b$),
    $r$lower\(p.brand\) = lower\('x''\); DROP TABLE store.products; --'\)$r$,
    'a value is a quoted literal, whatever it holds'
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
        WHERE
            pg_temp.run(pg_temp.q(f.category_id, f.q, f.brand, f.in_stock, f.sort))
            IS DISTINCT FROM jsonb_build_object(
                'ids', to_jsonb(tests.item_ids(l.answer)), 'total', l.answer -> 'total'
            )
    ),
    0,
    'the statement answers the ids and total list_products lists (a brand of SQL is a brand)'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
