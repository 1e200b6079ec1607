-- release_expired_reservations: active reservations whose expiry has passed become released
-- (the count is returned); unexpired, released and consumed ones are left alone; a second run
-- finds nothing. Availability did not wait for it.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    -- Reservations left by earlier runs (the demo database has none) would skew the count.
    PERFORM internal.release_expired_reservations();
    PERFORM tests.set_id('product', tests.make_product(p_stock => 20));
    PERFORM tests.set_id('expired1', tests.make_reservation(tests.id('product'), 2, now() - interval '1 hour'));
    PERFORM tests.set_id('expired2', tests.make_reservation(tests.id('product'), 3, now()));
    PERFORM tests.set_id('live', tests.make_reservation(tests.id('product'), 4, now() + interval '1 minute'));
    PERFORM tests.set_id('old_released', tests.make_reservation(tests.id('product'), 5, now() - interval '1 hour', 'released'));
    UPDATE store.inventory_locks SET released_at = now() - interval '30 minutes'
    WHERE id = tests.id('old_released');
    PERFORM tests.set_id('old_consumed', tests.make_reservation(tests.id('product'), 6, now() - interval '1 hour', 'consumed'));
    PERFORM tests.set_value('available_before', internal.available_stock(tests.id('product'))::text);
    PERFORM tests.set_value('swept', internal.release_expired_reservations()::text);
END
$$;

SELECT is(
    tests.value('available_before')::integer,
    16,
    'before the sweep, expired reservations already do not count'
);
SELECT is(tests.value('swept')::integer, 2, 'the two expired reservations are released');
SELECT is(
    (
        SELECT array_agg(l.status ORDER BY l.id) FROM store.inventory_locks AS l
        WHERE l.id IN (tests.id('expired1'), tests.id('expired2'))
    ),
    ARRAY['released', 'released'],
    'marked released'
);
SELECT is((
    SELECT l.status FROM store.inventory_locks AS l
    WHERE l.id = tests.id('live')
), 'active', 'an unexpired one stays active');
SELECT is(
    (
        SELECT l.status FROM store.inventory_locks AS l
        WHERE l.id = tests.id('old_consumed')
    ), 'consumed',
    'a consumed one stays consumed'
);
SELECT is(
    (
        SELECT l.released_at FROM store.inventory_locks AS l
        WHERE l.id = tests.id('old_released')
    ),
    now() - interval '30 minutes',
    'a released one is not touched again'
);
SELECT is(internal.available_stock(tests.id('product')), 16, 'availability is the same after the sweep');
SELECT is(internal.release_expired_reservations(), 0, 'a second run finds nothing');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
