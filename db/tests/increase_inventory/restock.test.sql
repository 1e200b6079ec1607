-- increase_inventory: adds units on hand (creating the inventory row when missing) and answers
-- the stock; JK422 validation_error for a quantity below 1, JK404 product_not_found.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('stocked', tests.make_product(p_stock => 3));
    PERFORM tests.make_reservation(tests.id('stocked'), 2);
    PERFORM tests.set_id('no_row', tests.make_product(p_stock => NULL));
    PERFORM tests.set_id('off', tests.make_product(p_stock => 0, p_is_active => FALSE));
END
$$;

SELECT is(
    internal.increase_inventory(tests.id('stocked'), 10),
    jsonb_build_object('product_id', tests.id('stocked'), 'on_hand', 13, 'available', 11),
    'units are added on hand; reservations still count against available'
);
SELECT is(tests.on_hand(tests.id('stocked')), 13, 'stored');
SELECT is(
    (internal.increase_inventory(tests.id('no_row'), 4) ->> 'on_hand')::integer, 4,
    'a product without an inventory row gets one'
);
SELECT is(
    (internal.increase_inventory(tests.id('off'), 1) ->> 'on_hand')::integer, 1,
    'a switched-off product can be restocked'
);
SELECT throws_ok(
    format('SELECT internal.increase_inventory(%s, 0)', tests.id('stocked')),
    'JK422', 'validation_error', '0 units is refused'
);
SELECT throws_ok(
    format('SELECT internal.increase_inventory(%s, -5)', tests.id('stocked')),
    'JK422', 'validation_error', 'a negative quantity is refused (that is not a restock)'
);
SELECT throws_ok(
    format('SELECT internal.increase_inventory(%s, NULL)', tests.id('stocked')),
    'JK422', 'validation_error', 'no quantity is refused'
);
SELECT throws_ok(
    format('SELECT internal.increase_inventory(%s, 1)', (SELECT max(id) + 1000 FROM store.products)),
    'JK404', 'product_not_found', 'an unknown product is not found'
);
SELECT is(tests.on_hand(tests.id('stocked')), 13, 'refused restocks change nothing');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
