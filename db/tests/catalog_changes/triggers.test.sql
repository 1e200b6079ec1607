-- The triggers of db/tables/370_catalog_changes.sql and 420: every write that the catalog shows
-- (insert, update, delete, TRUNCATE of products, pictures, categories, on hand, reservations)
-- fires one after it; the hot paths are filtered before the function runs; reservations are
-- judged per statement. What they send is proven over real LISTEN in tests/test_catalog_changes.py
-- (a pgTAP transaction cannot receive its own notifications: they are delivered at commit).
BEGIN;

SELECT plan(8);

CREATE TEMPORARY TABLE notify_triggers ON COMMIT DROP AS
SELECT
    t.tgrelid::regclass::text AS table_name,
    t.tgname::text AS trigger_name,
    t.tgfoid::regproc::text AS function_name,
    (t.tgtype & 1) <> 0 AS row_level,
    (t.tgtype & 2) <> 0 AS before,
    CASE
        WHEN (t.tgtype & 4) <> 0 THEN 'INSERT'
        WHEN (t.tgtype & 8) <> 0 THEN 'DELETE'
        WHEN (t.tgtype & 16) <> 0 THEN 'UPDATE'
        WHEN (t.tgtype & 32) <> 0 THEN 'TRUNCATE'
    END AS event,
    pg_catalog.pg_get_triggerdef(t.oid) AS definition
FROM pg_catalog.pg_trigger AS t
WHERE NOT t.tgisinternal AND t.tgfoid::regproc::text LIKE 'store.notify\_%';

SELECT set_eq(
    'SELECT table_name, event FROM notify_triggers WHERE NOT before',
    $$
        SELECT t.table_name, e.event
        FROM unnest(ARRAY[
            'store.products', 'store.product_images', 'store.categories', 'store.inventory',
            'store.inventory_locks'
        ]) AS t (table_name)
        CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS e (event)
        UNION ALL
        VALUES ('store.product_summaries', 'UPDATE')
    $$,
    'an AFTER trigger notifies every insert, update, delete and TRUNCATE of the shown tables'
);
SELECT is_empty(
    $$
        SELECT trigger_name FROM notify_triggers
        WHERE (event = 'TRUNCATE' OR table_name = 'store.categories')
            AND function_name <> 'store.notify_everything_changed'
    $$,
    'TRUNCATE and every category change notify everything (db/tables/420)'
);
SELECT is(
    (
        SELECT array_agg(trigger_name ORDER BY trigger_name) FROM notify_triggers
        WHERE NOT before
    ),
    ARRAY[
        'categories_notify_deleted', 'categories_notify_inserted', 'categories_notify_truncated',
        'categories_notify_updated', 'inventory_locks_notify_deleted',
        'inventory_locks_notify_inserted', 'inventory_locks_notify_truncated',
        'inventory_locks_notify_updated', 'inventory_notify_deleted', 'inventory_notify_inserted',
        'inventory_notify_truncated', 'inventory_notify_updated', 'product_images_notify_deleted',
        'product_images_notify_inserted', 'product_images_notify_truncated',
        'product_images_notify_updated', 'product_summaries_notify_updated',
        'products_notify_deleted', 'products_notify_inserted', 'products_notify_truncated',
        'products_notify_updated'
    ],
    'the notifying triggers, by name'
);
SELECT ok(
    (
        SELECT row_level AND definition LIKE '%AFTER UPDATE OF %ON store.products FOR EACH ROW WHEN%'
        FROM notify_triggers
        WHERE trigger_name = 'products_notify_updated'
    ),
    'a product update: row-level, called only for the listed columns that changed'
);
SELECT ok(
    (
        SELECT
            row_level
            AND definition LIKE '%AFTER UPDATE OF on_hand, product_id ON store.inventory FOR EACH ROW%'
            AND definition LIKE '%WHEN ((((old.on_hand <> new.on_hand) OR (old.product_id <> %'
            AND definition LIKE '%AND (NOT (%(new.units_sold - old.units_sold) = (old.on_hand - new.on_hand)%'
        FROM notify_triggers
        WHERE trigger_name = 'inventory_notify_updated'
    ),
    'on hand (restocks, adjustments): row-level, called only when on_hand changed, not for a sale'
);
SELECT ok(
    (
        SELECT bool_and(NOT row_level AND definition LIKE '%REFERENCING%')
        FROM notify_triggers
        WHERE table_name = 'store.inventory_locks' AND event <> 'TRUNCATE'
    ),
    'reservations: statement-level, each statement judged on its net change per product'
);
SELECT ok(
    (
        SELECT definition LIKE '%WHEN ((old.* IS DISTINCT FROM new.*))%'
        FROM notify_triggers
        WHERE trigger_name = 'categories_notify_updated'
    ),
    'a category update that changes nothing notifies nothing'
);
SELECT ok(
    (
        SELECT definition LIKE '%WHEN ((old.summary IS DISTINCT FROM new.summary))%'
        FROM notify_triggers
        WHERE trigger_name = 'product_summaries_notify_updated'
    ),
    'a list summary notifies only when it changed'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
