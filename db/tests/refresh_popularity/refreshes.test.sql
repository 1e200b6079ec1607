-- refresh_popularity: products.sales_count (sort=popularity) catches up with the units sold on
-- the stock rows, for the products that differ and only those.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('sold', tests.make_product(p_stock => 10, p_sales_count => 2));
    PERFORM tests.set_id('still', tests.make_product(p_stock => 10, p_sales_count => 7));
    PERFORM tests.set_id('order', tests.make_order_with_lines(tests.id('user'), ARRAY[tests.id('sold')], ARRAY[3]));
    PERFORM internal.lock_inventory(tests.id('user'), tests.id('order'));
    PERFORM internal.decrease_inventory(tests.id('user'), tests.id('order'));
END
$$;

SELECT is(tests.units_sold(tests.id('sold')), 5::bigint, 'the sale counts on the stock row');
SELECT is(
    tests.sales_count(tests.id('sold')), 2::bigint,
    'the product row is behind until the refresh'
);
SELECT cmp_ok(internal.refresh_popularity(), '>=', 1, 'the refresh counts the products it updated');
SELECT is(
    tests.sales_count(tests.id('sold')), 5::bigint,
    'then sales_count equals the units sold'
);
SELECT is(
    tests.sales_count(tests.id('still')), 7::bigint,
    'a product without sales since keeps its count'
);
SELECT is(internal.refresh_popularity(), 0, 'a second refresh finds nothing to do');

-- Units put back on hand (a cancelled paid order) leave the count: the next refresh follows.
SELECT is(internal.restore_inventory(tests.id('user'), tests.id('order')), 1, 'the line is restocked');
SELECT is(internal.refresh_popularity(), 1, 'the refresh updates that product alone');
SELECT is(
    tests.sales_count(tests.id('sold')), 2::bigint,
    'units taken back leave the popularity count too'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
