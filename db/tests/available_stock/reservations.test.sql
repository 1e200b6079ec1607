-- available_stock: on hand minus active, unexpired reservations, never below 0. Released,
-- consumed and expired reservations do not count (an expired one even while still 'active').
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('plain', tests.make_product(p_stock => 7));
    PERFORM tests.set_id('no_row', tests.make_product(p_stock => NULL));
    PERFORM tests.set_id('zero', tests.make_product(p_stock => 0));

    PERFORM tests.set_id('reserved', tests.make_product(p_stock => 10));
    PERFORM tests.make_reservation(tests.id('reserved'), 3, now() + interval '10 minutes');
    PERFORM tests.make_reservation(tests.id('reserved'), 2, now() + interval '1 minute');

    PERFORM tests.set_id('expired', tests.make_product(p_stock => 10));
    PERFORM tests.make_reservation(tests.id('expired'), 4, now() - interval '1 second');

    PERFORM tests.set_id('edge', tests.make_product(p_stock => 10));
    PERFORM tests.make_reservation(tests.id('edge'), 4, now());

    PERFORM tests.set_id('closed', tests.make_product(p_stock => 10));
    PERFORM tests.make_reservation(tests.id('closed'), 4, now() + interval '10 minutes', 'released');
    PERFORM tests.make_reservation(tests.id('closed'), 5, now() + interval '10 minutes', 'consumed');

    PERFORM tests.set_id('all_held', tests.make_product(p_stock => 2));
    PERFORM tests.make_reservation(tests.id('all_held'), 2, now() + interval '10 minutes');

    PERFORM tests.set_id('over', tests.make_product(p_stock => 1));
    PERFORM tests.make_reservation(tests.id('over'), 3, now() + interval '10 minutes');
END
$$;

SELECT is(internal.available_stock(tests.id('plain')), 7, 'no reservations: all units on hand');
SELECT is(internal.available_stock(tests.id('no_row')), 0, 'no inventory row: 0');
SELECT is(internal.available_stock(tests.id('zero')), 0, 'nothing on hand: 0');
SELECT is(
    internal.available_stock(tests.id('reserved')), 5, 'active unexpired reservations are subtracted'
);
SELECT is(
    internal.available_stock(tests.id('expired')), 10,
    'an expired reservation, still active, no longer counts'
);
SELECT is(
    internal.available_stock(tests.id('edge')), 10, 'a reservation expiring now no longer counts'
);
SELECT is(
    internal.available_stock(tests.id('closed')), 10, 'released and consumed reservations do not count'
);
SELECT is(internal.available_stock(tests.id('all_held')), 0, 'everything reserved: 0');
SELECT is(internal.available_stock(tests.id('over')), 0, 'more reserved than on hand: 0, not negative');
SELECT is(
    internal.available_stock((SELECT max(p.id) + 1000 FROM store.products AS p)), 0,
    'an unknown product: 0'
);
SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
