-- create_order refuses, by SQLSTATE, and writes nothing: an empty cart (JK409 cart_empty), a
-- line short of stock (JK409 insufficient_stock naming the product), a product no longer sold
-- (JK404 product_not_found), another user's or a deleted address (JK404 address_not_found), a
-- coupon in the body that does not apply (JK404 coupon_not_found, JK422 coupon_expired,
-- coupon_min_order_not_met, coupon_usage_limit_reached, coupon_already_used), an unknown user.
BEGIN;

SELECT plan(13);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.set_id('empty', tests.make_user());
    PERFORM tests.set_id('address', tests.make_address(v_user));
    PERFORM tests.set_id('others', tests.make_address(tests.make_user()));
    PERFORM tests.set_id('deleted', tests.make_address(v_user));
    UPDATE store.addresses SET deleted_at = now() WHERE id = tests.id('deleted');
    PERFORM tests.set_id('product', tests.make_product(p_name => 'Wooden Train Set', p_price => 30000, p_stock => 1));
    PERFORM tests.make_cart_line(v_user, tests.id('product'), 1);
    PERFORM tests.set_id('used_up', tests.make_coupon(p_code => 'USEDUP', p_usage_limit => 1, p_used_count => 1));
    PERFORM tests.make_coupon(p_code => 'OLDONE', p_valid_until => now() - interval '1 day', p_valid_from => now() - interval '9 days');
    PERFORM tests.make_coupon(p_code => 'BIGONLY', p_min_order_value => 100000);
    PERFORM tests.set_id('once', tests.make_coupon(p_code => 'ONCEONLY', p_per_user_limit => 1));
    PERFORM tests.make_redemption(v_user, tests.id('once')::integer);
    PERFORM tests.set_id('orders_before', (SELECT count(*) FROM store.orders WHERE user_id = v_user));
END
$$;

PREPARE place (bigint, bigint, text) AS SELECT api.create_order($1, $2, $3);

SELECT throws_ok(
    format('EXECUTE place(%s, %s, NULL)', tests.id('empty'), tests.make_address(tests.id('empty'))),
    'JK409', 'cart_empty', 'an empty cart'
);
SELECT throws_ok(
    format('EXECUTE place(%s, %s, NULL)', tests.id('user'), tests.id('others')),
    'JK404', 'address_not_found', 'another user''s address'
);
SELECT throws_ok(
    format('EXECUTE place(%s, %s, NULL)', tests.id('user'), tests.id('deleted')),
    'JK404', 'address_not_found', 'a deleted address'
);
SELECT throws_ok(
    format('EXECUTE place(%s, %s, %L)', tests.id('user'), tests.id('address'), 'nosuch'),
    'JK404', 'coupon_not_found', 'an unknown coupon'
);
SELECT throws_ok(
    format('EXECUTE place(%s, %s, %L)', tests.id('user'), tests.id('address'), 'oldone'),
    'JK422', 'coupon_expired', 'an expired coupon'
);
SELECT throws_ok(
    format('EXECUTE place(%s, %s, %L)', tests.id('user'), tests.id('address'), 'BIGONLY'),
    'JK422', 'coupon_min_order_not_met', 'a coupon for bigger orders'
);
SELECT throws_ok(
    format('EXECUTE place(%s, %s, %L)', tests.id('user'), tests.id('address'), 'USEDUP'),
    'JK422', 'coupon_usage_limit_reached', 'a coupon used up'
);
SELECT throws_ok(
    format('EXECUTE place(%s, %s, %L)', tests.id('user'), tests.id('address'), 'ONCEONLY'),
    'JK422', 'coupon_already_used', 'a coupon this user used already'
);
SELECT throws_ok(
    format('EXECUTE place(%s, %s, NULL)', 999999999, tests.id('address')),
    'JK401', 'unauthorized', 'an unknown user'
);

-- Someone else reserves the last unit.
SELECT tests.make_reservation(tests.id('product'), 1);
SELECT is(
    tests.error_of(format('EXECUTE place(%s, %s, NULL)', tests.id('user'), tests.id('address'))),
    jsonb_build_object(
        'sqlstate', 'JK409', 'message', 'insufficient_stock',
        'detail', '''Wooden Train Set'' is out of stock', 'column', NULL
    ),
    'a line short of stock, naming the product'
);
UPDATE store.products SET is_active = FALSE
WHERE id = tests.id('product');
SELECT throws_ok(
    format('EXECUTE place(%s, %s, NULL)', tests.id('user'), tests.id('address')),
    'JK404', 'product_not_found', 'a product no longer sold'
);

SELECT is(
    (
        SELECT count(*) FROM store.orders
        WHERE user_id = tests.id('user')
    ), tests.id('orders_before'
    ),
    'no order was left behind'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.cart_items
        WHERE user_id = tests.id('user')
    ), 1,
    'and the cart is as it was'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
