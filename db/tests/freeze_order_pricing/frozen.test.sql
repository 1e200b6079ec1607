-- freeze_order_pricing: the order keeps the name and price of each line as they were at
-- checkout; renaming the product or changing its price later changes nothing on the order.
BEGIN;

SELECT plan(3);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.set_id('product', tests.make_product(p_name => 'Rattle', p_price => 15000));
    PERFORM tests.set_id('order', tests.place_order(v_user, ARRAY[tests.id('product')], ARRAY[2]));
    PERFORM tests.set_json('before', internal.order_body(tests.order_row(tests.id('order'))));
    UPDATE store.products SET name = 'Super Rattle', price = 99900, mrp = 99900 WHERE id = tests.id('product');
END
$$;

SELECT is(
    internal.order_body(tests.order_row(tests.id('order'))), tests.json('before'),
    'the order reads the same after the catalog changed'
);
SELECT is(
    (
        SELECT row(oi.product_name, oi.unit_price, oi.line_total)::text FROM store.order_items AS oi
        WHERE oi.order_id = tests.id('order')
    ),
    '(Rattle,15000,30000)', 'the line keeps the name and price of checkout'
);
SELECT is(
    (tests.order_row(tests.id('order'))).total, 34000::bigint, 'and the total its figures'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
