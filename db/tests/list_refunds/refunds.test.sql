-- list_refunds: an order's refunds, oldest first, and total_refunded, the refunds not failed;
-- another user's or an unknown order raises JK404 order_not_found.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.make_paid_order();
    PERFORM tests.set_id('a', (api.initiate_refund(tests.id('user'), tests.id('order'), 'A', 1000) ->> 'id')::bigint);
    PERFORM tests.set_id('b', (api.initiate_refund(tests.id('user'), tests.id('order'), 'B', 2000) ->> 'id')::bigint);
    PERFORM tests.set_id('c', (api.initiate_refund(tests.id('user'), tests.id('order'), 'C', 4000) ->> 'id')::bigint);
    PERFORM internal.settle_refund(tests.id('user'), tests.id('b'), 'failed');
    PERFORM internal.settle_refund(tests.id('user'), tests.id('c'), 'processed');
END
$$;

SELECT is(
    tests.item_ids(api.list_refunds(tests.id('user'), tests.id('order'))), tests.ids(ARRAY['a', 'b', 'c']),
    'oldest first'
);
SELECT is(
    (api.list_refunds(tests.id('user'), tests.id('order')) ->> 'total_refunded')::bigint, 5000::bigint,
    'total_refunded counts pending and processed refunds, not failed ones'
);
SELECT throws_ok(
    format('SELECT api.list_refunds(%s, %s)', tests.make_user(), tests.id('order')),
    'JK404', 'order_not_found', 'another user''s order'
);
SELECT throws_ok(
    format('SELECT api.list_refunds(%s, 999999999)', tests.id('user')),
    'JK404', 'order_not_found', 'an unknown order'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
