-- update_cart_quantity: sets a line's quantity and answers the cart; 0 removes the line; the
-- price stored on the line is kept.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('p1', tests.make_product(p_price => 10000, p_stock => 10));
    PERFORM tests.set_id('p2', tests.make_product(p_price => 20000, p_stock => 10));
    PERFORM tests.set_id('line1', tests.make_cart_line(tests.id('user'), tests.id('p1'), 1, p_unit_price => 9000));
    PERFORM tests.set_id('line2', tests.make_cart_line(tests.id('user'), tests.id('p2'), 2));
    PERFORM tests.set_json('cart_set', api.update_cart_quantity(tests.id('user'), tests.id('line1'), 4));
END
$$;

SELECT is(tests.line_quantity(tests.id('user'), tests.id('line1')), 4, 'the quantity is set, not added');
SELECT is(tests.json('cart_set'), internal.cart_body(tests.id('user')), 'it answers the cart body');
SELECT is(
    tests.pick(tests.json('cart_set'), ARRAY['item_count', 'subtotal']),
    '{"item_count": 6, "subtotal": 80000}'::jsonb,
    'the totals follow'
);
SELECT is(
    (
        SELECT ci.unit_price FROM store.cart_items AS ci
        WHERE ci.user_id = tests.id('user') AND ci.id = tests.id('line1')
    ),
    9000::bigint,
    'the stored price is kept (validation still sees the change)'
);
SELECT lives_ok(
    format('SELECT api.update_cart_quantity(%s, %s, 10)', tests.id('user'), tests.id('line1')),
    'up to the cap of 10'
);

DO $$
BEGIN
    PERFORM tests.set_json('cart_removed', api.update_cart_quantity(tests.id('user'), tests.id('line2'), 0));
END
$$;

SELECT is(tests.line_quantity(tests.id('user'), tests.id('line2')), NULL, '0 removes the line');
SELECT is(
    tests.item_ids(tests.json('cart_removed')), ARRAY[tests.id('line1')], 'the cart lists the other line only'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
