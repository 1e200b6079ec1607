-- update_cart_quantity errors, by SQLSTATE: a negative quantity (JK422 validation_error), over
-- the cap (JK422 quantity_limit_exceeded), an unknown line or another user's (JK404
-- cart_item_not_found, the line unchanged), a product switched off (JK404 product_not_found;
-- 0 still removes its line), more than available (JK409 insufficient_stock).
BEGIN;

SELECT plan(14);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('product', tests.make_product(p_name => 'Wooden Train Set', p_stock => 5));
    PERFORM tests.make_reservation(tests.id('product'), 2);
    PERFORM tests.set_id('line', tests.make_cart_line(tests.id('user'), tests.id('product'), 2));
    PERFORM tests.set_id('others_line', tests.make_cart_line(tests.id('other'), tests.id('product'), 1));
    PERFORM tests.set_id('off', tests.make_product(p_stock => 5, p_is_active => FALSE));
    PERFORM tests.set_id('off_line', tests.make_cart_line(tests.id('user'), tests.id('off'), 1));
END
$$;

SELECT throws_ok(
    format('SELECT api.update_cart_quantity(%s, %s, -1)', tests.id('user'), tests.id('line')),
    'JK422', 'validation_error', 'a negative quantity is refused'
);
SELECT throws_ok(
    format('SELECT api.update_cart_quantity(%s, %s, NULL)', tests.id('user'), tests.id('line')),
    'JK422', 'validation_error', 'no quantity is refused'
);
SELECT is(
    tests.error_of(format('SELECT api.update_cart_quantity(%s, %s, -1)', tests.id('user'), tests.id('line')))
    ->> 'column',
    'quantity', 'the validation error names the field'
);
SELECT throws_ok(
    format('SELECT api.update_cart_quantity(%s, %s, 11)', tests.id('user'), tests.id('line')),
    'JK422', 'quantity_limit_exceeded', '11 is over the cap'
);
SELECT throws_ok(
    format('SELECT api.update_cart_quantity(%s, %s, 1)', tests.id('user'), tests.id('others_line')),
    'JK404', 'cart_item_not_found', 'another user''s line is not found'
);
SELECT throws_ok(
    format('SELECT api.update_cart_quantity(%s, %s, 0)', tests.id('user'), tests.id('others_line')),
    'JK404', 'cart_item_not_found', 'nor can it be removed through a quantity of 0'
);
SELECT is(
    tests.line_quantity(tests.id('other'), tests.id('others_line')), 1, 'the other user''s line is unchanged'
);
SELECT throws_ok(
    format('SELECT api.update_cart_quantity(%s, %s, 1)', tests.id('user'), tests.id('line') + 100000),
    'JK404', 'cart_item_not_found', 'an unknown line is not found'
);
SELECT throws_ok(
    format('SELECT api.update_cart_quantity(%s, %s, 4)', tests.id('user'), tests.id('line')),
    'JK409', 'insufficient_stock', 'more than available (5 on hand, 2 reserved) is refused'
);
SELECT is(
    tests.error_of(format('SELECT api.update_cart_quantity(%s, %s, 4)', tests.id('user'), tests.id('line')))
    ->> 'detail',
    'Only 3 units of ''Wooden Train Set'' are available', 'the detail names the product and the units'
);
SELECT is(
    tests.line_quantity(tests.id('user'), tests.id('line')), 2, 'the refused changes left the line alone'
);
SELECT throws_ok(
    format('SELECT api.update_cart_quantity(%s, %s, 2)', tests.id('user'), tests.id('off_line')),
    'JK404', 'product_not_found', 'a line of a switched-off product cannot grow'
);
SELECT lives_ok(
    format('SELECT api.update_cart_quantity(%s, %s, 0)', tests.id('user'), tests.id('off_line')),
    'but it can be removed'
);
SELECT is(tests.line_quantity(tests.id('user'), tests.id('off_line')), NULL, 'and is gone');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
