-- store.category_product_counts follows every change of store.products: products added one by
-- one or many at once, switched off and on, moved to another category, sold (no change) and
-- deleted; TRUNCATE empties it. After all of it, every row still equals a fresh count.
BEGIN;

SELECT plan(11);

CREATE FUNCTION pg_temp.counted(p_key text)
RETURNS integer
LANGUAGE sql
AS $$
    SELECT coalesce(
        (SELECT c.active_products FROM store.category_product_counts AS c WHERE c.category_id = tests.id(p_key)),
        0
    )
$$;

DO $$
BEGIN
    PERFORM tests.set_id('a', tests.make_category('Counted A'));
    PERFORM tests.set_id('b', tests.make_category('Counted B'));
    PERFORM tests.set_id('a1', tests.make_product(tests.id('a')::integer));
    PERFORM tests.set_id('a2', tests.make_product(tests.id('a')::integer));
    PERFORM tests.set_id('off', tests.make_product(tests.id('a')::integer, p_is_active => FALSE));
END
$$;

SELECT is(pg_temp.counted('a'), 2, 'products added one by one: the active ones are counted');

-- Four products in one statement, in both categories, one of them inactive.
INSERT INTO store.products (category_id, name, slug, brand, hsn_code, gst_rate, price, mrp, is_active)
SELECT
    c.id AS category_id,
    'Bulk ' || n AS name,
    tests.new_slug('bulk') AS slug,
    'Bulk' AS brand,
    '9503' AS hsn_code,
    5 AS gst_rate,
    100 AS price,
    100 AS mrp,
    n <> 4 AS is_active
FROM generate_series(1, 4) AS n
INNER JOIN store.categories AS c ON c.id = tests.id(CASE WHEN n = 1 THEN 'a' ELSE 'b' END);

SELECT is(
    ARRAY[pg_temp.counted('a'), pg_temp.counted('b')], ARRAY[3, 2],
    'a statement adding many products counts each category once'
);

UPDATE store.products SET is_active = FALSE
WHERE id = tests.id('a1');
SELECT is(pg_temp.counted('a'), 2, 'a product switched off is no longer counted');

UPDATE store.products SET is_active = TRUE
WHERE id = tests.id('off');
SELECT is(pg_temp.counted('a'), 3, 'a product switched on is counted');

UPDATE store.products SET category_id = tests.id('b')
WHERE id = tests.id('a2');
SELECT is(
    ARRAY[pg_temp.counted('a'), pg_temp.counted('b')], ARRAY[2, 3],
    'a product moved to another category leaves one count for the other'
);

UPDATE store.products SET category_id = tests.id('a'), is_active = FALSE
WHERE id = tests.id('a2');
SELECT is(
    ARRAY[pg_temp.counted('a'), pg_temp.counted('b')], ARRAY[2, 2],
    'moved and switched off at once: it leaves its old category and is not counted in the new'
);

UPDATE store.products SET sales_count = sales_count + 3, price = price - 1
WHERE category_id = tests.id('b');
SELECT is(pg_temp.counted('b'), 2, 'a sale or a new price changes no count');

DELETE FROM store.products
WHERE id = tests.id('off');
SELECT is(pg_temp.counted('a'), 1, 'a deleted product is no longer counted');

SELECT is(
    (
        SELECT count(*)::integer
        FROM store.categories AS c
        LEFT JOIN store.category_product_counts AS n ON c.id = n.category_id
        WHERE coalesce(n.active_products, 0) <> (
            SELECT count(*) FROM store.products AS p
            WHERE p.category_id = c.id AND p.is_active
        )
    ),
    0,
    'every category''s row equals a fresh count of its active products (the demo catalog too)'
);
SELECT is(
    (SELECT sum(n.active_products)::integer FROM store.category_product_counts AS n),
    (
        SELECT count(*)::integer FROM store.products AS p
        WHERE p.is_active
    ),
    'the rows add up to the active products of the catalog'
);

TRUNCATE store.products CASCADE;
SELECT is(
    (SELECT count(*)::integer FROM store.category_product_counts), 0,
    'TRUNCATE of the products empties the counts'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
