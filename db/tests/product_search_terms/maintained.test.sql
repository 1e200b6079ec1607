-- store.product_search_terms holds, for every active product, each lexeme of its search_vector
-- with ts_rank_cd(search_vector, that lexeme): written when a product is added, rewritten when
-- its name, brand or description changes, removed when it is switched off or deleted, back
-- when it is switched on; a sale changes nothing. A lexeme with a quote in it comes back exact.
-- store.search_term_counts counts those rows per lexeme, through all of it.
BEGIN;

SELECT plan(13);

-- The rows a product should have: its lexemes, each with its one-word rank (none if inactive).
-- A lexeme quoted as an SQL literal is a one-lexeme tsquery (lexemes here have no backslash).
CREATE FUNCTION pg_temp.expected(p_product_id bigint)
RETURNS TABLE (lexeme text, rank real)
LANGUAGE sql
AS $$
    SELECT t.lexeme, ts_rank_cd(p.search_vector, format('%L', t.lexeme)::tsquery)
    FROM store.products AS p
    CROSS JOIN LATERAL unnest(p.search_vector) AS t
    WHERE p.id = p_product_id AND p.is_active
$$;

CREATE FUNCTION pg_temp.stored(p_product_id bigint)
RETURNS TABLE (lexeme text, rank real)
LANGUAGE sql
AS $$
    SELECT t.lexeme, t.rank FROM store.product_search_terms AS t WHERE t.product_id = p_product_id
$$;

DO $$
BEGIN
    PERFORM tests.set_id('train', tests.make_product(p_name => 'Wooden Train Train',
        p_brand => 'Woodies', p_description => 'A wooden train for a wooden track'));
    PERFORM tests.set_id('off', tests.make_product(p_name => 'Hidden Kite', p_is_active => FALSE));
END
$$;

SELECT set_eq(
    $$SELECT * FROM pg_temp.stored(tests.id('train'))$$,
    $$SELECT * FROM pg_temp.expected(tests.id('train'))$$,
    'a new product: each lexeme with its rank'
);
SELECT is(
    (
        SELECT t.rank FROM pg_temp.stored(tests.id('train')) AS t
        WHERE t.lexeme = 'train'
    ),
    ts_rank_cd(
        (
            SELECT p.search_vector FROM store.products AS p
            WHERE p.id = tests.id('train')
        ),
        websearch_to_tsquery('english', 'Trains')
    ),
    'the rank is what a search for that word ranks it'
);
SELECT is_empty(
    $$SELECT * FROM pg_temp.stored(tests.id('off'))$$, 'an inactive product has no rows'
);

UPDATE store.products SET name = 'Wooden Rocket'
WHERE id = tests.id('train');
SELECT set_eq(
    $$SELECT * FROM pg_temp.stored(tests.id('train'))$$,
    $$SELECT * FROM pg_temp.expected(tests.id('train'))$$,
    'a renamed product: its rows follow the new name'
);
SELECT ok(
    EXISTS (
        SELECT FROM pg_temp.stored(tests.id('train')) AS t
        WHERE t.lexeme = 'rocket'
    )
    AND (
        SELECT t.rank FROM pg_temp.stored(tests.id('train')) AS t
        WHERE t.lexeme = 'train'
    ) < 1,
    'the new word is there; the old one now only counts from the description'
);

UPDATE store.products SET is_active = FALSE
WHERE id = tests.id('train');
SELECT is_empty(
    $$SELECT * FROM pg_temp.stored(tests.id('train'))$$, 'a product switched off loses its rows'
);

UPDATE store.products SET is_active = TRUE
WHERE id IN (tests.id('train'), tests.id('off'));
SELECT set_eq(
    $$SELECT s.* FROM unnest(tests.ids('{train,off}')) AS i (id), pg_temp.stored(i.id) AS s$$,
    $$SELECT e.* FROM unnest(tests.ids('{train,off}')) AS i (id), pg_temp.expected(i.id) AS e$$,
    'products switched on get their rows back'
);

-- One statement renaming one product and selling another.
UPDATE store.products SET
    name = CASE WHEN id = tests.id('train') THEN 'Wooden Glider' ELSE name END,
    sales_count = sales_count + 1
WHERE id IN (tests.id('train'), tests.id('off'));
SELECT set_eq(
    $$SELECT s.* FROM unnest(tests.ids('{train,off}')) AS i (id), pg_temp.stored(i.id) AS s$$,
    $$SELECT e.* FROM unnest(tests.ids('{train,off}')) AS i (id), pg_temp.expected(i.id) AS e$$,
    'a statement changing several products: each one''s rows follow its text'
);

DELETE FROM store.product_images
WHERE product_id = tests.id('off');
DELETE FROM store.products
WHERE id = tests.id('off');
SELECT is_empty(
    $$SELECT * FROM store.product_search_terms WHERE product_id = tests.id('off')$$,
    'a deleted product''s rows go with it'
);

-- A lexeme with a quote in it: the rank still comes from the exact lexeme.
DO $$
BEGIN
    PERFORM tests.set_id('quote', tests.make_product(p_name => 'Link',
        p_description => 'See example.com/it''s for more'));
END
$$;
SELECT is(
    (
        SELECT t.rank FROM pg_temp.stored(tests.id('quote')) AS t
        WHERE t.lexeme = 'example.com/it''s'
    ),
    ts_rank_cd(
        (
            SELECT p.search_vector FROM store.products AS p
            WHERE p.id = tests.id('quote')
        ),
        '''example.com/it''''s'''::tsquery
    ),
    'a lexeme with a quote is ranked as itself'
);

-- The whole catalog: a sale (an update that touches no text) on every product first.
UPDATE store.products SET sales_count = sales_count + 1;
SELECT set_eq(
    $$SELECT t.product_id, t.lexeme, t.rank FROM store.product_search_terms AS t$$,
    $$
        SELECT p.id, t.lexeme, ts_rank_cd(p.search_vector, format('%L', t.lexeme)::tsquery)
        FROM store.products AS p CROSS JOIN LATERAL unnest(p.search_vector) AS t
        WHERE p.is_active
    $$,
    'every active product''s lexemes and ranks, and nothing else, after a sale of everything'
);

SELECT is(
    (
        SELECT count(*)::integer
        FROM store.search_term_counts AS c
        FULL JOIN (
            SELECT
                t.lexeme,
                count(*) AS n
            FROM store.product_search_terms AS t
            GROUP BY t.lexeme
        ) AS t ON c.lexeme = t.lexeme
        WHERE coalesce(c.active_products, 0) <> coalesce(t.n, 0)
    ),
    0,
    'every lexeme''s count equals its rows, after all the changes above'
);

TRUNCATE store.products CASCADE;
SELECT is(
    (SELECT count(*)::integer FROM store.search_term_counts), 0,
    'TRUNCATE of the products empties the search terms and their counts'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
