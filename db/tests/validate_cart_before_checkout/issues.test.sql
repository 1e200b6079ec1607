-- validate_cart_before_checkout: issues per line and for the cart. Blocking (valid false):
-- cart_empty, product_unavailable, out_of_stock, insufficient_stock. Notices (valid stays
-- true): price_changed, coupon_invalid. The totals are the cart's own.
BEGIN;

SELECT plan(15);

DO $$
BEGIN
    -- a good cart
    PERFORM tests.set_id('good', tests.make_user());
    PERFORM tests.set_id('plenty', tests.make_product(p_price => 30000, p_stock => 10));
    PERFORM tests.make_cart_line(tests.id('good'), tests.id('plenty'), 2);
    PERFORM tests.set_json('v_good', api.validate_cart_before_checkout(tests.id('good')));

    -- every line problem at once, in line order
    PERFORM tests.set_id('bad', tests.make_user());
    PERFORM tests.set_id('off', tests.make_product(p_name => 'Old Rattle', p_stock => 10, p_is_active => FALSE));
    PERFORM tests.set_id('gone', tests.make_product(p_name => 'Rocking Horse', p_stock => 2));
    PERFORM tests.make_reservation(tests.id('gone'), 2);
    PERFORM tests.set_id('short', tests.make_product(p_name => 'Wooden Train Set', p_stock => 2));
    PERFORM tests.set_id('dearer', tests.make_product(p_name => 'Kite', p_price => 25000, p_stock => 10));
    PERFORM tests.set_id('off_line', tests.make_cart_line(tests.id('bad'), tests.id('off'), 1));
    PERFORM tests.set_id('gone_line', tests.make_cart_line(tests.id('bad'), tests.id('gone'), 1));
    PERFORM tests.set_id('short_line', tests.make_cart_line(tests.id('bad'), tests.id('short'), 3));
    PERFORM tests.set_id('dearer_line', tests.make_cart_line(tests.id('bad'), tests.id('dearer'), 1, p_unit_price => 19950));
    PERFORM tests.set_json('v_bad', api.validate_cart_before_checkout(tests.id('bad')));

    -- only notices: a price change and a coupon below its minimum
    PERFORM tests.set_id('notices', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('notices'), tests.id('dearer'), 1, p_unit_price => 30000);
    PERFORM tests.set_id('min_coupon', tests.make_coupon(p_min_order_value => 99900));
    PERFORM tests.attach_coupon(tests.id('notices'), tests.id('min_coupon')::integer);
    PERFORM tests.set_json('v_notices', api.validate_cart_before_checkout(tests.id('notices')));

    PERFORM tests.set_id('empty', tests.make_user());
    PERFORM tests.set_json('v_empty', api.validate_cart_before_checkout(tests.id('empty')));
END
$$;

SELECT is(
    tests.json('v_good'),
    '{"valid": true, "issues": [], "subtotal": 60000, "discount": 0, "shipping": 0, "total": 60000}'::jsonb,
    'a cart that can be ordered: valid, no issues, its totals'
);
SELECT is(
    tests.issue_codes(tests.json('v_bad')),
    ARRAY['product_unavailable', 'out_of_stock', 'insufficient_stock', 'price_changed'],
    'each line problem, in line order'
);
SELECT is((tests.json('v_bad') ->> 'valid')::boolean, FALSE, 'a blocking issue makes the cart invalid');
SELECT is(
    tests.issue(tests.json('v_bad'), 'product_unavailable'),
    jsonb_build_object(
        'item_id', tests.id('off_line'), 'product_id', tests.id('off'), 'code', 'product_unavailable',
        'detail', '''Old Rattle'' is no longer sold; remove it from the cart'
    ),
    'product_unavailable names the line and the product'
);
SELECT is(
    tests.issue(tests.json('v_bad'), 'out_of_stock'),
    jsonb_build_object(
        'item_id', tests.id('gone_line'), 'product_id', tests.id('gone'), 'code', 'out_of_stock',
        'detail', '''Rocking Horse'' is out of stock'
    ),
    'out_of_stock: everything on hand is reserved'
);
SELECT is(
    tests.issue(tests.json('v_bad'), 'insufficient_stock'),
    jsonb_build_object(
        'item_id', tests.id('short_line'), 'product_id', tests.id('short'), 'code', 'insufficient_stock',
        'detail', 'Only 2 units of ''Wooden Train Set'' are available'
    ),
    'insufficient_stock gives the units available'
);
SELECT is(
    tests.issue(tests.json('v_bad'), 'price_changed'),
    jsonb_build_object(
        'item_id', tests.id('dearer_line'), 'product_id', tests.id('dearer'), 'code', 'price_changed',
        'detail', 'The price of ''Kite'' changed from ₹199.50 to ₹250'
    ),
    'price_changed gives the stored and the current price'
);
SELECT is(
    tests.pick(tests.json('v_bad'), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    tests.pick(internal.cart_body(tests.id('bad')), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    'the totals are the cart''s'
);

SELECT is(
    tests.issue_codes(tests.json('v_notices')), ARRAY['price_changed', 'coupon_invalid'],
    'a changed price and a coupon that no longer applies are reported'
);
SELECT is((tests.json('v_notices') ->> 'valid')::boolean, TRUE, 'as notices: the cart stays valid');
SELECT is(
    tests.issue(tests.json('v_notices'), 'coupon_invalid'),
    jsonb_build_object(
        'item_id', NULL, 'product_id', NULL, 'code', 'coupon_invalid',
        'detail', format(
            '%s needs an order of at least ₹999; add ₹749 more',
            tests.coupon_code(tests.id('min_coupon')::integer)
        )
    ),
    'coupon_invalid says why'
);
SELECT is(
    tests.pick(tests.json('v_notices'), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    '{"subtotal": 25000, "discount": 0, "shipping": 4000, "total": 29000}'::jsonb,
    'and the totals count no discount for it, at the current price'
);

SELECT is(
    tests.json('v_empty'),
    '{"valid": false, "issues": [{"item_id": null, "product_id": null, "code": "cart_empty",
      "detail": "Your cart is empty"}], "subtotal": 0, "discount": 0, "shipping": 0, "total": 0}'::jsonb,
    'an empty cart (even one never created) is not valid: cart_empty'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.carts
        WHERE user_id = tests.id('empty')
    ), 0,
    'validating creates no cart'
);

DO $$
BEGIN
    DELETE FROM store.inventory_locks WHERE product_id = tests.id('gone');
    UPDATE store.products SET is_active = TRUE WHERE id = tests.id('off');
    UPDATE store.inventory SET on_hand = 3 WHERE product_id = tests.id('short');
END
$$;

SELECT is(
    tests.issue_codes(api.validate_cart_before_checkout(tests.id('bad'))), ARRAY['price_changed'],
    'once stock and product are back, only the notice remains'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
