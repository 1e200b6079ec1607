-- Every column of store.products is either watched by products_notify_updated (named in its
-- UPDATE OF list and compared in its WHEN) or listed here as not shown by the catalog, so that a
-- new column fails this test until someone decides which (db/tables/370_catalog_changes.sql).
-- sales_count must stay unwatched: every sale sets it, and a sale must not empty the list cache.
-- hsn_code and gst_rate only reach orders, frozen at checkout (freeze_order_pricing).
BEGIN;

SELECT plan(5);

CREATE TEMPORARY TABLE not_shown (column_name) ON COMMIT DROP AS
VALUES ('id'::name), ('sales_count'), ('updated_at'), ('search_vector'), ('hsn_code'), ('gst_rate');

-- The columns named in the trigger's UPDATE OF list.
CREATE TEMPORARY TABLE watched ON COMMIT DROP AS
SELECT a.attname AS column_name
FROM pg_catalog.pg_trigger AS t
CROSS JOIN LATERAL unnest(t.tgattr::smallint[]) AS k (attnum)
INNER JOIN pg_catalog.pg_attribute AS a ON t.tgrelid = a.attrelid AND k.attnum = a.attnum
WHERE t.tgrelid = 'store.products'::regclass AND t.tgname = 'products_notify_updated';

-- The columns its WHEN compares, old with new.
CREATE TEMPORARY TABLE compared ON COMMIT DROP AS
SELECT m.match[1]::name AS column_name
FROM pg_catalog.pg_trigger AS t
CROSS JOIN
    LATERAL regexp_matches(
        pg_catalog.pg_get_triggerdef(t.oid), 'old\.(\w+) IS DISTINCT FROM new\.\1\M', 'g'
    ) AS m (match)
WHERE t.tgrelid = 'store.products'::regclass AND t.tgname = 'products_notify_updated';

SELECT set_eq(
    $$
        SELECT a.attname FROM pg_catalog.pg_attribute AS a
        WHERE a.attrelid = 'store.products'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    $$,
    'SELECT column_name FROM watched UNION ALL SELECT column_name FROM not_shown',
    'every column of store.products is watched, or listed as not shown'
);
SELECT is_empty(
    'SELECT column_name FROM watched INTERSECT SELECT column_name FROM not_shown',
    'no column is both watched and listed as not shown'
);
SELECT set_eq(
    'SELECT column_name FROM compared', 'SELECT column_name FROM watched',
    'the WHEN compares exactly the columns of the UPDATE OF list'
);
SELECT ok(
    (SELECT count(*) FROM watched) >= 12,
    'the shown columns are watched (price, name, is_active, has_stock, ...)'
);
SELECT ok(
    NOT EXISTS (
        SELECT FROM watched
        WHERE column_name IN ('sales_count', 'updated_at')
    ),
    'a sale (sales_count, updated_at) is not watched'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
