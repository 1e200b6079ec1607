-- list_products against a reference: docs/api.md's filters, sorts, pages and totals written as one
-- plain query that uses none of the speed-ups (no category_product_counts, no
-- product_search_terms, no has_stock, no product_summaries; available_stock for every
-- product), compared answer for answer over the demo catalog, for every sort and a spread of
-- filter sets and pages. Some products are switched off, one moves category, a sub-category
-- moves to another parent and another is switched off, and stock is reserved, so that every
-- rule is exercised.
BEGIN;
-- websearch_to_tsquery says NOTICE for the stop-word search, at each of its 10 calls.
SET LOCAL client_min_messages = warning;

SELECT plan(120);

DO $$
BEGIN
    -- A LEGO set and a soft toy switched off.
    UPDATE store.products SET is_active = FALSE
    WHERE slug IN (
        SELECT p.slug FROM store.products AS p WHERE p.brand = 'LEGO' ORDER BY p.id LIMIT 1
    ) OR slug IN (
        SELECT p.slug FROM store.products AS p
        INNER JOIN store.categories AS c ON p.category_id = c.id
        WHERE c.slug = 'soft-toys' ORDER BY p.id LIMIT 1
    );
    -- A board book moves to Soft Toys; Story Books moves under Toys; Board Games is switched off.
    UPDATE store.products SET category_id = (SELECT id FROM store.categories WHERE slug = 'soft-toys')
    WHERE id = (
        SELECT p.id FROM store.products AS p
        INNER JOIN store.categories AS c ON p.category_id = c.id
        WHERE c.slug = 'board-books' ORDER BY p.id LIMIT 1
    );
    UPDATE store.categories SET parent_id = (SELECT id FROM store.categories WHERE slug = 'toys')
    WHERE slug = 'story-books';
    UPDATE store.categories SET is_active = FALSE WHERE slug = 'games-puzzles';
    -- Stock: all of one LEGO set held by a live reservation, part of another's, and one whose
    -- reservation lapsed; a Hamleys toy loses its inventory row.
    PERFORM tests.make_reservation(p.id, i.on_hand, now() + interval '10 minutes')
    FROM store.products AS p INNER JOIN store.inventory AS i ON p.id = i.product_id
    WHERE p.brand = 'LEGO' AND p.is_active AND i.on_hand > 1
    ORDER BY p.id LIMIT 1;
    PERFORM tests.make_reservation(p.id, i.on_hand - 1, now() + interval '10 minutes')
    FROM store.products AS p INNER JOIN store.inventory AS i ON p.id = i.product_id
    WHERE p.brand = 'LEGO' AND p.is_active AND i.on_hand > 1
    ORDER BY p.id DESC LIMIT 1;
    PERFORM tests.make_reservation(p.id, i.on_hand, now() - interval '1 minute')
    FROM store.products AS p INNER JOIN store.inventory AS i ON p.id = i.product_id
    WHERE p.brand = 'Hamleys' AND i.on_hand > 0
    ORDER BY p.id LIMIT 1;
    DELETE FROM store.inventory WHERE product_id = (
        SELECT p.id FROM store.products AS p WHERE p.brand = 'Hamleys' ORDER BY p.id DESC LIMIT 1
    );
END
$$;

-- The reference: every product checked against every filter given, then sorted and paged.
CREATE FUNCTION pg_temp.reference(
    p_page integer, p_page_size integer, p_category_id integer, p_q text, p_brand text,
    p_min_price bigint, p_max_price bigint, p_age_months integer, p_gender text,
    p_in_stock boolean, p_sort text
)
RETURNS jsonb
LANGUAGE sql
AS $$
    WITH search AS (
        SELECT CASE WHEN numnode(q.query) > 0 THEN q.query END AS query
        FROM (SELECT websearch_to_tsquery('english', nullif(btrim(p_q), '')) AS query) AS q
    ),

    matches AS (
        SELECT
            p.id,
            row_number() OVER (ORDER BY
                CASE WHEN p_sort = 'relevance' THEN ts_rank_cd(p.search_vector, s.query) END DESC,
                CASE
                    WHEN p_sort = 'popularity' OR p_sort = 'relevance' AND s.query IS NULL
                        THEN p.sales_count
                END DESC,
                CASE WHEN p_sort = 'price_asc' THEN p.price END ASC,
                CASE WHEN p_sort = 'price_desc' THEN p.price END DESC,
                CASE WHEN p_sort = 'newest' THEN p.created_at END DESC,
                CASE WHEN p_sort = 'newest' THEN -p.id ELSE p.id END ASC
            ) AS n
        FROM store.products AS p
        CROSS JOIN search AS s
        WHERE
            p.is_active
            AND (p_category_id IS NULL OR p.category_id IN (SELECT internal.category_subtree(p_category_id)))
            AND (s.query IS NULL OR p.search_vector @@ s.query)
            AND (p_brand IS NULL OR lower(p.brand) = lower(p_brand))
            AND (p_min_price IS NULL OR p.price >= p_min_price)
            AND (p_max_price IS NULL OR p.price <= p_max_price)
            AND (p_age_months IS NULL OR p.age_min_months <= p_age_months AND p.age_max_months >= p_age_months)
            AND (p_gender IS NULL OR p.gender IN (p_gender, 'unisex'))
            AND (p_in_stock IS NULL OR (internal.available_stock(p.id) > 0) = p_in_stock)
    )

    SELECT jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(
                tests.summary_from_rows(p.id)
                || jsonb_build_object('in_stock', internal.available_stock(p.id) > 0)
                ORDER BY m.n
            )
            FROM matches AS m
            INNER JOIN store.products AS p ON m.id = p.id
            WHERE m.n > (p_page - 1) * p_page_size AND m.n <= p_page * p_page_size
        ), '[]'::jsonb),
        'page', p_page,
        'page_size', p_page_size,
        'total', (SELECT count(*) FROM matches)
    )
$$;

-- 23 filter sets x 5 sorts.
SELECT
    is(
        api.list_products(
            f.page, f.page_size, c.id, f.q, f.brand, f.min_price, f.max_price, f.age_months, f.gender,
            f.in_stock, s.sort
        ),
        pg_temp.reference(
            f.page, f.page_size, c.id, f.q, f.brand, f.min_price, f.max_price, f.age_months, f.gender,
            f.in_stock, s.sort
        ),
        format('%s, sort %s', f.label, s.sort)
    )
FROM (
    VALUES
    ('everything', 1, 20, NULL, NULL, NULL, NULL::bigint, NULL::bigint, NULL, NULL, NULL::boolean),
    ('everything, page 3 of 7', 3, 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('everything, 100 a page, page 4', 4, 100, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('a top category (with a moved sub-category)', 1, 20, 'toys', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('a top category, page 2 of 7', 2, 7, 'toys', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('a sub-category that gained a product', 1, 20, 'soft-toys', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('a switched-off sub-category', 1, 20, 'games-puzzles', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('one word', 1, 20, NULL, 'lego', NULL, NULL, NULL, NULL, NULL, NULL),
    ('one word, page 2 of 5', 2, 5, NULL, 'Soft', NULL, NULL, NULL, NULL, NULL, NULL),
    ('one word in a category', 1, 20, 'building-blocks', 'lego', NULL, NULL, NULL, NULL, NULL, NULL),
    ('two words', 1, 20, NULL, 'soft toy', NULL, NULL, NULL, NULL, NULL, NULL),
    ('web search syntax', 1, 20, NULL, 'lego -city', NULL, NULL, NULL, NULL, NULL, NULL),
    ('stop words only', 1, 20, NULL, 'the', NULL, NULL, NULL, NULL, NULL, NULL),
    ('a word nothing has', 1, 20, NULL, 'zqxnothing', NULL, NULL, NULL, NULL, NULL, NULL),
    ('brand, any case', 1, 20, NULL, NULL, 'lego', NULL, NULL, NULL, NULL, NULL),
    ('price range', 1, 20, NULL, NULL, NULL, 50000, 150000, NULL, NULL, NULL),
    ('age', 1, 20, NULL, NULL, NULL, NULL, NULL, 24, NULL, NULL),
    ('gender', 1, 20, NULL, NULL, NULL, NULL, NULL, NULL, 'girl', NULL),
    ('in stock', 1, 20, NULL, NULL, NULL, NULL, NULL, NULL, NULL, TRUE),
    ('out of stock', 1, 20, NULL, NULL, NULL, NULL, NULL, NULL, NULL, FALSE),
    ('in stock, one brand', 1, 20, NULL, NULL, 'LEGO', NULL, NULL, NULL, NULL, TRUE),
    ('category, age, price (the bench shape)', 1, 20, 'toys', NULL, NULL, 20000, 520000, 36, NULL, NULL),
    ('one word, gender, in stock, price', 1, 20, NULL, 'doll', NULL, 0, 200000, NULL, 'girl', TRUE)
) AS f (label, page, page_size, category, q, brand, min_price, max_price, age_months, gender, in_stock)
LEFT JOIN store.categories AS c ON f.category = c.slug
CROSS JOIN unnest(ARRAY['relevance', 'price_asc', 'price_desc', 'newest', 'popularity']) AS s (sort)
ORDER BY f.label, s.sort;

-- The fixtures did what they should (else the comparisons above prove less).
SELECT ok(
    EXISTS (
        SELECT FROM store.products AS p INNER JOIN store.inventory AS i ON p.id = i.product_id
        WHERE p.is_active AND i.on_hand > 0 AND internal.available_stock(p.id) = 0
    ),
    'an active product has units on hand, all held by a live reservation'
);
SELECT ok(
    EXISTS (
        SELECT FROM store.products AS p
        WHERE p.is_active AND NOT EXISTS (
            SELECT FROM store.inventory AS i
            WHERE i.product_id = p.id
        )
    ),
    'an active product has no inventory row'
);
SELECT ok(
    EXISTS (
        SELECT FROM store.products AS p
        WHERE NOT p.is_active
    ),
    'some products are switched off'
);
SELECT cmp_ok(
    (
        pg_temp.reference(1, 20, NULL, 'soft', NULL, NULL, NULL, NULL, NULL, NULL, 'relevance') ->> 'total'
    )::integer,
    '>', 20, 'a one-word search has more than a page of matches'
);
SELECT cmp_ok(
    (
        SELECT count(DISTINCT ts_rank_cd(p.search_vector, 'lego'::tsquery))::integer
        FROM store.products AS p
        WHERE p.search_vector @@ 'lego'::tsquery
    ),
    '>', 1, 'a one-word search ranks its matches differently'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
