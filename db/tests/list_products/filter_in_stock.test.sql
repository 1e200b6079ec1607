-- list_products in_stock: available = on hand minus active, unexpired reservations. Stock held
-- by an active reservation is not in stock; once the reservation expires the units are in stock
-- again at once, even though nothing has set its status to released yet.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('cat', tests.make_category('Stock filters'));
    PERFORM tests.set_id('stocked', tests.make_product(tests.id('cat')::integer, 'Stocked', p_price => 1,
        p_stock => 5));
    PERFORM tests.set_id('empty', tests.make_product(tests.id('cat')::integer, 'Empty', p_price => 2,
        p_stock => 0));
    PERFORM tests.set_id('no_row', tests.make_product(tests.id('cat')::integer, 'No row', p_price => 3,
        p_stock => NULL));
    -- All of its stock is held by an active reservation that has not expired.
    PERFORM tests.set_id('held', tests.make_product(tests.id('cat')::integer, 'Held', p_price => 4,
        p_stock => 2));
    PERFORM tests.make_reservation(tests.id('held'), 2, now() + interval '10 minutes');
    -- All of its stock was reserved, but the reservation expired (still 'active').
    PERFORM tests.set_id('lapsed', tests.make_product(tests.id('cat')::integer, 'Lapsed', p_price => 5,
        p_stock => 2));
    PERFORM tests.make_reservation(tests.id('lapsed'), 2, now() - interval '1 minute');
    -- Part of its stock is reserved.
    PERFORM tests.set_id('partly', tests.make_product(tests.id('cat')::integer, 'Partly', p_price => 6,
        p_stock => 3));
    PERFORM tests.make_reservation(tests.id('partly'), 2, now() + interval '10 minutes');
    -- Its reservation was released.
    PERFORM tests.set_id('released', tests.make_product(tests.id('cat')::integer, 'Released', p_price => 7,
        p_stock => 1));
    PERFORM tests.make_reservation(tests.id('released'), 1, now() + interval '10 minutes', 'released');
END
$$;

SELECT is(
    (
        SELECT l.status
        FROM store.inventory_locks AS l
        WHERE l.product_id = tests.id('lapsed')
    ),
    'active',
    'setup: the lapsed reservation is still marked active'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('cat')::integer, p_in_stock => TRUE, p_sort => 'price_asc'
    )),
    tests.ids('{stocked,lapsed,partly,released}'),
    'in_stock true: stock on hand not held by a live reservation'
);
SELECT is(
    tests.item_ids(api.list_products(
        p_category_id => tests.id('cat')::integer, p_in_stock => FALSE, p_sort => 'price_asc'
    )),
    tests.ids('{empty,no_row,held}'),
    'in_stock false: nothing on hand, no inventory row, or all of it held'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer, p_sort => 'price_asc')),
    tests.ids('{stocked,empty,no_row,held,lapsed,partly,released}'),
    'no in_stock filter: every product'
);
SELECT is(
    (api.list_products(p_category_id => tests.id('cat')::integer, p_in_stock => FALSE) -> 'total'),
    '3'::jsonb,
    'total counts the filtered products'
);
SELECT is(
    tests.item(api.list_products(p_category_id => tests.id('cat')::integer), tests.id('held'))
    -> 'in_stock',
    'false'::jsonb,
    'the item of a product held by a live reservation says in_stock false'
);
SELECT is(
    tests.item(api.list_products(p_category_id => tests.id('cat')::integer), tests.id('lapsed'))
    -> 'in_stock',
    'true'::jsonb,
    'the item of a product whose reservation expired says in_stock true'
);
SELECT is(
    tests.item(api.list_products(p_category_id => tests.id('cat')::integer), tests.id('empty'))
    -> 'in_stock',
    'false'::jsonb,
    'the item of a product with nothing on hand says in_stock false'
);
SELECT is(
    tests.item(api.list_products(p_category_id => tests.id('cat')::integer), tests.id('partly'))
    -> 'in_stock',
    'true'::jsonb,
    'the item of a partly reserved product says in_stock true'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
