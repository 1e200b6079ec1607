-- decrease_inventory after the reservation lapsed (expired, still active or swept, or released):
-- the units are sold only if they are still available, else JK409 insufficient_stock and
-- nothing changes. A capture after expiry never oversells.
BEGIN;

SELECT plan(13);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());

    -- expired, but nobody took the units meanwhile
    PERFORM tests.set_id('free', tests.make_product(p_stock => 2));
    PERFORM tests.set_id('free_order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('free')], ARRAY[2]));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('free_order'));
    PERFORM tests.age_reservations(tests.id('user'), tests.id('free_order'), interval '20 minutes');

    -- expired, and another order reserved the units since
    PERFORM tests.set_id('taken', tests.make_product(p_name => 'Wooden Train Set', p_stock => 2));
    PERFORM tests.set_id('taken_order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('taken')], ARRAY[2]));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('taken_order'));
    PERFORM tests.age_reservations(tests.id('user'), tests.id('taken_order'), interval '20 minutes');
    PERFORM tests.make_reservation(tests.id('taken'), 1);

    -- released (order cancelled), the units still there
    PERFORM tests.set_id('released', tests.make_product(p_stock => 1));
    PERFORM tests.set_id('released_order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('released')], ARRAY[1]));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('released_order'));
    PERFORM internal.release_inventory(tests.id('user'), tests.id('released_order'));

    -- never reserved at all
    PERFORM tests.set_id('unreserved', tests.make_product(p_stock => 1));
    PERFORM tests.set_id('unreserved_order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('unreserved')], ARRAY[1]));
END
$$;

SELECT is(
    internal.decrease_inventory(tests.id('user'), tests.id('free_order')), 1, 'expired but still free: sold'
);
SELECT is(tests.on_hand(tests.id('free')), 0, 'on hand drops');
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('free_order'), tests.id('free'))).status, 'consumed',
    'the lapsed reservation is consumed'
);

SELECT throws_ok(
    format('SELECT internal.decrease_inventory(%s, %s)', tests.id('user'), tests.id('taken_order')),
    'JK409', 'insufficient_stock', 'expired and the units reserved by another order: refused'
);
SELECT is(
    tests.error_of(
        format('SELECT internal.decrease_inventory(%s, %s)', tests.id('user'), tests.id('taken_order'))
    )
    ->> 'detail',
    'Only 1 unit of ''Wooden Train Set'' is available',
    'the detail gives what is left'
);
SELECT is(tests.on_hand(tests.id('taken')), 2, 'on hand unchanged');
SELECT is(internal.available_stock(tests.id('taken')), 1, 'the other order keeps its unit');
SELECT is(tests.units_sold(tests.id('taken')), 0::bigint, 'nothing sold');

SELECT is(
    internal.decrease_inventory(tests.id('user'), tests.id('released_order')),
    1,
    'released but still there: sold'
);
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('released_order'), tests.id('released'))).status,
    'consumed',
    'the released reservation becomes consumed'
);

SELECT is(
    internal.decrease_inventory(tests.id('user'), tests.id('unreserved_order')),
    1,
    'never reserved but available: sold'
);
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('unreserved_order'), tests.id('unreserved'))).status,
    'consumed',
    'and recorded as consumed'
);
SELECT is(
    internal.decrease_inventory(tests.id('user'), tests.id('unreserved_order')), 0,
    'so a repeated capture sells nothing twice'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
