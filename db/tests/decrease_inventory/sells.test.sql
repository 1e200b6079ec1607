-- decrease_inventory: at capture, an order's reserved units are sold: on hand and available
-- drop as they should, units sold grow, the reservation becomes consumed, and the product row
-- is not written. Repeating it sells nothing twice.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('a', tests.make_product(p_stock => 10, p_sales_count => 5));
    PERFORM tests.set_id('b', tests.make_product(p_stock => 3));
    PERFORM tests.set_id('order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('a'), tests.id('b')], ARRAY[4, 3]));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('order'));
    PERFORM tests.set_value('sold', internal.decrease_inventory(tests.id('user'), tests.id('order'))::text);
END
$$;

SELECT is(tests.value('sold')::integer, 2, 'both lines are sold');
SELECT is(tests.on_hand(tests.id('a')), 6, 'on hand drops by the units sold');
SELECT is(tests.on_hand(tests.id('b')), 0, 'down to 0, never below');
SELECT is(
    internal.available_stock(tests.id('a')), 6, 'available is unchanged by the sale (the units were reserved)'
);
SELECT is(tests.units_sold(tests.id('a')), 9::bigint, 'units sold grow by the units sold');
SELECT is(
    tests.sales_count(tests.id('a')), 5::bigint,
    'the product row keeps its sales_count until the sweeper refreshes it'
);
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('a'))).status, 'consumed',
    'the reservation is consumed'
);
SELECT is(
    internal.decrease_inventory(tests.id('user'), tests.id('order')), 0, 'a repeated capture sells nothing'
);
SELECT is(tests.on_hand(tests.id('a')), 6, 'on hand stays');
SELECT is(tests.units_sold(tests.id('a')), 9::bigint, 'units sold stay');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
