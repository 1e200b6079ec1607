-- get_order: the user's order as order_detail (order_body plus payment, null before initiate,
-- and refunds); another user's or an unknown order raises JK404 order_not_found.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order('a_');
    PERFORM tests.make_paid_order('b_');
    PERFORM tests.set_id('stranger', tests.make_user());
END
$$;

SELECT is(
    api.get_order(tests.id('a_user'), tests.id('a_order')),
    internal.order_body(tests.order_row(tests.id('a_order')))
    || '{"payment": null, "refunds": []}'::jsonb,
    'an unpaid order: its body, no payment, no refunds'
);
SELECT is(
    api.get_order(tests.id('b_user'), tests.id('b_order')) -> 'payment',
    internal.payment_body(tests.payment_row(tests.id('b_order'))),
    'a paid order carries its payment'
);
SELECT is(
    api.get_order(tests.id('b_user'), tests.id('b_order')) -> 'payment' ->> 'status', 'captured',
    'captured'
);
SELECT throws_ok(
    format('SELECT api.get_order(%s, %s)', tests.id('stranger'), tests.id('a_order')),
    'JK404', 'order_not_found', 'another user''s order is not found'
);
SELECT throws_ok(
    format('SELECT api.get_order(%s, 999999999)', tests.id('a_user')),
    'JK404', 'order_not_found', 'nor is an unknown one'
);
SELECT is(
    (
        SELECT array_agg(k ORDER BY k)
        FROM jsonb_object_keys(internal.order_body(tests.order_row(tests.id('a_order')))) AS k
    ),
    ARRAY[
        'address', 'cod_fee', 'created_at', 'currency', 'discount', 'id', 'items', 'payment_due_at',
        'payment_method', 'shipping', 'status', 'subtotal', 'total'
    ],
    'order_body has exactly the fields of docs/api.md'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
