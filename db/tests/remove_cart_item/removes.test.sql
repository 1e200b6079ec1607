-- remove_cart_item: removes a line of the user's cart and answers the cart; an unknown line, a
-- line already removed or another user's line raise JK404 cart_item_not_found and change nothing.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('p1', tests.make_product(p_price => 10000));
    PERFORM tests.set_id('p2', tests.make_product(p_price => 30000));
    PERFORM tests.set_id('line1', tests.make_cart_line(tests.id('user'), tests.id('p1'), 1));
    PERFORM tests.set_id('line2', tests.make_cart_line(tests.id('user'), tests.id('p2'), 1));
    PERFORM tests.set_id('others_line', tests.make_cart_line(tests.id('other'), tests.id('p1'), 3));
    PERFORM tests.set_json('cart_after', api.remove_cart_item(tests.id('user'), tests.id('line1')));
END
$$;

SELECT is(tests.line_quantity(tests.id('user'), tests.id('line1')), NULL, 'the line is gone');
SELECT is(tests.json('cart_after'), internal.cart_body(tests.id('user')), 'it answers the cart body');
SELECT is(
    tests.pick(tests.json('cart_after'), ARRAY['item_count', 'subtotal', 'shipping', 'total']),
    '{"item_count": 1, "subtotal": 30000, "shipping": 4000, "total": 34000}'::jsonb,
    'the totals follow'
);
SELECT throws_ok(
    format('SELECT api.remove_cart_item(%s, %s)', tests.id('user'), tests.id('line1')),
    'JK404', 'cart_item_not_found', 'a line already removed is not found'
);
SELECT throws_ok(
    format('SELECT api.remove_cart_item(%s, %s)', tests.id('user'), tests.id('others_line')),
    'JK404', 'cart_item_not_found', 'another user''s line is not found'
);
SELECT is(
    tests.line_quantity(tests.id('other'), tests.id('others_line')), 3, 'the other user''s line is unchanged'
);
SELECT throws_ok(
    format('SELECT api.remove_cart_item(%s, %s)', tests.make_user(), tests.id('line2')),
    'JK404', 'cart_item_not_found', 'a user without a cart finds nothing either'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
