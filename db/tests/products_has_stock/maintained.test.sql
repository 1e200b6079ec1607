-- store.products.has_stock is store.inventory.on_hand > 0, kept by the database: a product
-- without an inventory row has none; selling the last unit, restocking, creating or deleting
-- the inventory row and TRUNCATE all keep it right; reservations do not change it.
BEGIN;

SELECT plan(10);

CREATE FUNCTION pg_temp.has_stock(p_key text)
RETURNS boolean
LANGUAGE sql
AS $$
    SELECT p.has_stock FROM store.products AS p WHERE p.id = tests.id(p_key)
$$;

DO $$
BEGIN
    PERFORM tests.set_id('stocked', tests.make_product(p_stock => 2));
    PERFORM tests.set_id('empty', tests.make_product(p_stock => 0));
    PERFORM tests.set_id('no_row', tests.make_product(p_stock => NULL));
END
$$;

SELECT is(
    ARRAY[pg_temp.has_stock('stocked'), pg_temp.has_stock('empty'), pg_temp.has_stock('no_row')],
    ARRAY[TRUE, FALSE, FALSE],
    'units on hand: true; none on hand, or no inventory row: false'
);

DO $$ BEGIN PERFORM tests.make_reservation(tests.id('stocked'), 2); END $$;
SELECT is(pg_temp.has_stock('stocked'), TRUE, 'units held by a reservation are still on hand');

UPDATE store.inventory SET on_hand = 0
WHERE product_id = tests.id('stocked');
SELECT is(pg_temp.has_stock('stocked'), FALSE, 'the last units sold: false');

DO $$ BEGIN PERFORM internal.increase_inventory(tests.id('stocked'), 3); END $$;
SELECT is(pg_temp.has_stock('stocked'), TRUE, 'restocked: true');

DO $$ BEGIN PERFORM internal.increase_inventory(tests.id('no_row'), 1); END $$;
SELECT is(pg_temp.has_stock('no_row'), TRUE, 'an inventory row created with units: true');

UPDATE store.products SET price = price - 1
WHERE id = tests.id('no_row');
SELECT is(pg_temp.has_stock('no_row'), TRUE, 'a change to the product itself keeps it');

DELETE FROM store.inventory
WHERE product_id = tests.id('no_row');
SELECT is(pg_temp.has_stock('no_row'), FALSE, 'the inventory row deleted: false');

-- Many rows in one statement.
UPDATE store.inventory SET on_hand = on_hand + 1
WHERE product_id IN (tests.id('stocked'), tests.id('empty'));
SELECT is(
    ARRAY[pg_temp.has_stock('stocked'), pg_temp.has_stock('empty')], ARRAY[TRUE, TRUE],
    'a statement changing many rows marks each product'
);

SELECT is(
    (
        SELECT count(*)::integer
        FROM store.products AS p
        WHERE p.has_stock <> EXISTS (
            SELECT FROM store.inventory AS i
            WHERE i.product_id = p.id AND i.on_hand > 0
        )
    ),
    0,
    'every product (the demo catalog too) agrees with its inventory row'
);

TRUNCATE store.inventory;
SELECT is(
    (
        SELECT count(*)::integer FROM store.products
        WHERE has_stock
    ), 0,
    'TRUNCATE of the inventory: no product has stock'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
