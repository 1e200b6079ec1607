-- admin_get_order: any customer's order with its customer and its history; unknown JK404;
-- customers JK403.
BEGIN;

SELECT plan(3);

DO $$
BEGIN
    PERFORM tests.make_shipped_order();
    PERFORM tests.set_json('detail', api.admin_get_order(tests.id('staff'), tests.id('order')));
END
$$;

SELECT is(
    (
        tests.json('detail') ->> 'user_id', tests.json('detail') ->> 'status',
        (
            SELECT array_agg(h ->> 'to_status')
            FROM jsonb_array_elements(tests.json('detail') -> 'history') AS h
        )
    )::text,
    format('(%s,shipped,"{confirmed,packed,shipped}")', tests.id('user')),
    'the order, its customer and its status history'
);
SELECT throws_ok(
    format('SELECT api.admin_get_order(%s, 999999999)', tests.id('staff')),
    'JK404', 'order_not_found', 'an unknown order'
);
SELECT throws_ok(
    format('SELECT api.admin_get_order(%s, %s)', tests.id('user'), tests.id('order')),
    'JK403', 'forbidden', 'not for customers, even their own order'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
