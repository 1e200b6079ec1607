-- release_inventory: an order's active reservations become released and their units available
-- again; a second call releases nothing; sold (consumed) units and other orders' reservations
-- are left alone.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('a', tests.make_product(p_stock => 5));
    PERFORM tests.set_id('b', tests.make_product(p_stock => 5));
    PERFORM tests.set_id('order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('a'), tests.id('b')], ARRAY[2, 5]));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('order'));
    PERFORM tests.set_id('kept', tests.make_reservation(tests.id('a'), 1));
    PERFORM tests.set_value('released', internal.release_inventory(tests.id('user'), tests.id('order'))::text);
END
$$;

SELECT is(tests.value('released')::integer, 2, 'both reservations of the order are released');
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('b'))).status, 'released',
    'marked released'
);
SELECT isnt(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('b'))).released_at, NULL,
    'with the time'
);
SELECT is(internal.available_stock(tests.id('b')), 5, 'their units are available again');
SELECT is(internal.available_stock(tests.id('a')), 4, 'another order''s reservation still holds');
SELECT is(
    internal.release_inventory(tests.id('user'), tests.id('order')), 0, 'a second call releases nothing'
);

DO $$
BEGIN
    PERFORM tests.set_id('sold', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('b')], ARRAY[1]));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('sold'));
    PERFORM internal.decrease_inventory(tests.id('user'), tests.id('sold'));
END
$$;

SELECT is(internal.release_inventory(tests.id('user'), tests.id('sold')), 0, 'sold units are not given back');
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('sold'), tests.id('b'))).status, 'consumed',
    'the sale stands'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
