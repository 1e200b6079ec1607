-- restore_inventory: puts a paid order's sold units back on hand and out of sales_count, once
-- (orders.restocked_at); an unpaid order has sold nothing and gets nothing back.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.make_paid_order('paid_', p_quantity => 2, p_stock => 5);
    PERFORM tests.make_unpaid_order('unpaid_', p_quantity => 2, p_stock => 5);
END
$$;

SELECT is(internal.restore_inventory(tests.id('paid_user'), tests.id('paid_order')), 1, 'one line restored');
SELECT is(tests.on_hand(tests.id('paid_product')), 5, 'its units are back on hand');
SELECT is(tests.units_sold(tests.id('paid_product')), 0::bigint, 'and out of the sales count');
SELECT ok((tests.order_row(tests.id('paid_order'))).restocked_at IS NOT NULL, 'the order records it');
SELECT
    is(
        internal.restore_inventory(tests.id('paid_user'), tests.id('paid_order')),
        0,
        'a second call restores nothing'
    );
SELECT is(
    (
        internal.restore_inventory(tests.id('unpaid_user'), tests.id('unpaid_order')),
        tests.on_hand(tests.id('unpaid_product'))
    )::text,
    '(0,5)', 'an unpaid order sold nothing, so nothing comes back'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
