-- lock_inventory errors, by SQLSTATE: a product short of stock raises JK409 insufficient_stock
-- naming it, and no line of the order is reserved; an expiry not in the future raises JK422.
-- Reservations that expired (still marked active) do not hold stock.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('plenty', tests.make_product(p_stock => 10));
    PERFORM tests.set_id('scarce', tests.make_product(p_name => 'Wooden Train Set', p_stock => 5));
    PERFORM tests.make_reservation(tests.id('scarce'), 3);
    PERFORM tests.set_id('order', tests.make_order_with_lines(
        tests.id('user'), ARRAY[tests.id('plenty'), tests.id('scarce')], ARRAY[1, 3]
    ));
    -- 4 on hand, all of it held by a reservation whose expiry has passed (the sweeper has not run)
    PERFORM tests.set_id('lapsed', tests.make_product(p_stock => 4));
    PERFORM tests.make_reservation(tests.id('lapsed'), 4, now() - interval '1 minute');
    PERFORM tests.set_id('lapsed_order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('lapsed')], ARRAY[4]));
    PERFORM tests.set_id('no_row', tests.make_product(p_name => 'Kite', p_stock => NULL));
    PERFORM tests.set_id('no_row_order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('no_row')], ARRAY[1]));
END
$$;

SELECT throws_ok(
    format('SELECT internal.lock_inventory(%s, %s)', tests.id('user'), tests.id('order')),
    'JK409', 'insufficient_stock', '3 wanted, 2 available: refused'
);
SELECT is(
    tests.error_of(format('SELECT internal.lock_inventory(%s, %s)', tests.id('user'), tests.id('order')))
    ->> 'detail',
    'Only 2 units of ''Wooden Train Set'' are available',
    'the detail names the product and the units available'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.inventory_locks
        WHERE user_id = tests.id('user') AND order_id = tests.id('order')
    ),
    0, 'nothing of the order is reserved, not even the line that fit'
);
SELECT is(internal.available_stock(tests.id('plenty')), 10, 'the product that fit is still all available');

SELECT throws_ok(
    format(
        'SELECT internal.lock_inventory(%s, %s, now() - interval ''1 second'')',
        tests.id('user'),
        tests.id('lapsed_order')
    ),
    'JK422', 'validation_error', 'an expiry in the past is refused'
);
SELECT throws_ok(
    format('SELECT internal.lock_inventory(%s, %s, now())', tests.id('user'), tests.id('lapsed_order')),
    'JK422', 'validation_error', 'an expiry of now is refused'
);
SELECT is(
    tests.error_of(
        format('SELECT internal.lock_inventory(%s, %s, NULL)', tests.id('user'), tests.id('lapsed_order'))
    )
    ->> 'column',
    'expires_at', 'no expiry is refused, naming the field'
);
SELECT is(
    internal.lock_inventory(tests.id('user'), tests.id('lapsed_order')), 1,
    'an expired reservation holds nothing: its 4 units can be reserved again'
);
SELECT is(internal.available_stock(tests.id('lapsed')), 0, 'and now they are taken');
SELECT throws_ok(
    format('SELECT internal.lock_inventory(%s, %s)', tests.id('user'), tests.id('no_row_order')),
    'JK409', 'insufficient_stock', 'a product without an inventory row has nothing to reserve'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
