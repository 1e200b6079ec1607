-- lock_inventory: reserves every line of an order until an expiry (15 minutes by default, or as
-- given); the reserved units stop being available at once.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('a', tests.make_product(p_stock => 10));
    PERFORM tests.set_id('b', tests.make_product(p_stock => 4));
    -- lines inserted b first: the reservations do not depend on line order
    PERFORM tests.set_id('order', tests.make_order_with_lines(
        tests.id('user'), ARRAY[tests.id('b'), tests.id('a')], ARRAY[4, 3]
    ));
    PERFORM tests.set_value('count', internal.lock_inventory(tests.id('user'), tests.id('order'))::text);
END
$$;

SELECT is(tests.value('count')::integer, 2, 'one reservation per line');
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('a'))).quantity, 3,
    'the first product: its line quantity'
);
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('b'))).quantity, 4,
    'the second product: all its units'
);
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('a'))).status, 'active',
    'reservations start active'
);
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('a'))).expires_at,
    now() + interval '15 minutes',
    'by default they expire after reservation_ttl (15 minutes)'
);
SELECT is(internal.available_stock(tests.id('a')), 7, 'available drops by the units reserved');
SELECT is(internal.available_stock(tests.id('b')), 0, 'down to 0');
SELECT is(tests.on_hand(tests.id('a')), 10, 'on hand does not move until the sale');

DO $$
BEGIN
    PERFORM tests.set_id('order2', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('a')], ARRAY[7]));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('order2'), now() + interval '1 hour');
END
$$;

SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order2'), tests.id('a'))).expires_at,
    now() + interval '1 hour',
    'an expiry given is used'
);
SELECT is(
    internal.lock_inventory(tests.id('user'), tests.make_order(tests.id('user'))), 0,
    'an order without lines reserves nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
