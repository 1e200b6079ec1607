-- get_product stock: on hand minus active, unexpired reservations; in_stock follows it.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.set_id('product', tests.make_product(p_stock => 10));
    PERFORM tests.make_reservation(tests.id('product'), 3, now() + interval '10 minutes');
    PERFORM tests.make_reservation(tests.id('product'), 2, now() - interval '1 second');
    PERFORM tests.make_reservation(tests.id('product'), 4, now() + interval '10 minutes', 'released');
    PERFORM tests.make_reservation(tests.id('product'), 1, now() + interval '10 minutes', 'consumed');

    PERFORM tests.set_id('held', tests.make_product(p_stock => 2));
    PERFORM tests.make_reservation(tests.id('held'), 2, now() + interval '10 minutes');

    PERFORM tests.set_id('lapsed', tests.make_product(p_stock => 2));
    PERFORM tests.make_reservation(tests.id('lapsed'), 2, now() - interval '1 minute');

    PERFORM tests.set_id('no_row', tests.make_product(p_stock => NULL));
END
$$;

SELECT is(
    api.get_product(tests.id('product')) -> 'stock', '7'::jsonb,
    'stock = on hand 10 - live reservation 3; expired, released and consumed ones do not count'
);
SELECT is(api.get_product(tests.id('product')) -> 'in_stock', 'true'::jsonb, 'in stock');
SELECT is(
    api.get_product(tests.id('held')) -> 'stock', '0'::jsonb,
    'everything held by a live reservation: stock 0'
);
SELECT is(api.get_product(tests.id('held')) -> 'in_stock', 'false'::jsonb, 'held: not in stock');
SELECT is(
    api.get_product(tests.id('lapsed')) -> 'stock', '2'::jsonb,
    'an expired reservation gives its units back at once'
);
SELECT is(api.get_product(tests.id('lapsed')) -> 'in_stock', 'true'::jsonb, 'lapsed: in stock');
SELECT is(
    api.get_product(tests.id('no_row')) -> 'stock', '0'::jsonb, 'no inventory row: stock 0'
);
SELECT is(
    api.get_product(tests.id('no_row')) -> 'in_stock', 'false'::jsonb, 'no inventory row: not in stock'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
