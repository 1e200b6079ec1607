-- apply_coupon: a usable code (any case) is attached to the cart and the preview answered with
-- the cart's own numbers; applying uses nothing up; another code replaces it. The demo coupons
-- behave as docs/api.md says.
BEGIN;

SELECT plan(11);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('toy', tests.make_product(p_price => 29900, p_stock => 10));
    PERFORM tests.make_cart_line(tests.id('user'), tests.id('toy'), 2);
    PERFORM tests.set_json('preview', api.apply_coupon(tests.id('user'), 'welcome10'));
END
$$;

SELECT is(
    tests.json('preview'),
    '{"code": "WELCOME10", "description": "10% off up to ₹200, once per user", "subtotal": 59800,
      "discount": 5980, "shipping": 0, "total": 53820}'::jsonb,
    'WELCOME10 on ₹598: 10% off, free shipping, the stored code and description'
);
SELECT is(
    (
        SELECT cp.code FROM store.carts AS c INNER JOIN store.coupons AS cp ON c.coupon_id = cp.id
        WHERE c.user_id = tests.id('user')
    ),
    'WELCOME10', 'the coupon is attached to the cart'
);
SELECT is(
    tests.pick(internal.cart_body(tests.id('user')), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    tests.pick(tests.json('preview'), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    'the cart shows the numbers of the preview'
);
SELECT is(
    (
        SELECT c.used_count FROM store.coupons AS c
        WHERE c.code = 'WELCOME10'
    ), 0,
    'applying uses nothing up'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.coupon_usage
        WHERE user_id = tests.id('user')
    ), 0,
    'and records no redemption'
);

DO $$
BEGIN
    PERFORM tests.set_id('flat', tests.make_coupon(p_discount_value => 10000, p_description => '₹100 off'));
    PERFORM tests.set_json('replaced', api.apply_coupon(tests.id('user'), tests.coupon_code(tests.id('flat')::integer)));
END
$$;

SELECT is(
    tests.json('replaced'),
    jsonb_build_object(
        'code', tests.coupon_code(tests.id('flat')::integer), 'description', '₹100 off',
        'subtotal', 59800, 'discount', 10000, 'shipping', 4000, 'total', 53800
    ),
    'another code replaces the first (₹100 off ₹598 is under ₹499: shipping is charged)'
);
SELECT is(
    (
        SELECT c.coupon_id FROM store.carts AS c
        WHERE c.user_id = tests.id('user')
    ),
    tests.id('flat')::integer, 'the cart holds the new coupon'
);

DO $$
BEGIN
    PERFORM tests.set_id('small', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('small'), tests.id('toy'), 1);
    PERFORM tests.set_id('big', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('big'), tests.id('toy'), 4);
    PERFORM tests.set_id('empty', tests.make_user());
END
$$;

SELECT is(
    api.apply_coupon(tests.id('small'), 'LIMITED5') - 'description',
    '{"code": "LIMITED5", "subtotal": 29900, "discount": 5000, "shipping": 4000, "total": 28900}'::jsonb,
    'LIMITED5: ₹50 off; under ₹499 after it, shipping is charged'
);
SELECT is(
    api.apply_coupon(tests.id('big'), 'FLAT100') - 'description',
    '{"code": "FLAT100", "subtotal": 119600, "discount": 10000, "shipping": 0, "total": 109600}'::jsonb,
    'FLAT100 on ₹1196: ₹100 off'
);
SELECT is(
    api.apply_coupon(tests.id('empty'), 'WELCOME10') - 'description',
    '{"code": "WELCOME10", "subtotal": 0, "discount": 0, "shipping": 0, "total": 0}'::jsonb,
    'a coupon without a minimum can be applied to an empty cart: nothing off yet'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.carts
        WHERE user_id = tests.id('empty') AND coupon_id IS NOT NULL
    ),
    1,
    'the empty cart was created and holds it'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
