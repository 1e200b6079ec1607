-- cart_body: the cart's arithmetic, in paise. line_total = current price * quantity; subtotal
-- sums the lines; item_count counts units; discount comes from the attached coupon while it
-- applies; shipping is ₹40 unless subtotal - discount reaches ₹499; total = subtotal - discount
-- + shipping.
BEGIN;

SELECT plan(16);

DO $$
BEGIN
    PERFORM tests.set_id('a', tests.make_product(p_price => 12345, p_stock => 20));
    PERFORM tests.set_id('b', tests.make_product(p_price => 20000, p_stock => 20));
    PERFORM tests.set_id('c', tests.make_product(p_price => 49900, p_stock => 20));

    -- plain: 2 x 123.45 + 1 x 200 = 446.90, under ₹499
    PERFORM tests.set_id('plain', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('plain'), tests.id('a'), 2);
    PERFORM tests.make_cart_line(tests.id('plain'), tests.id('b'), 1);

    -- free: 123.45 + 499 = 622.45, free shipping
    PERFORM tests.set_id('free', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('free'), tests.id('a'), 1);
    PERFORM tests.make_cart_line(tests.id('free'), tests.id('c'), 1);

    -- percent: 446.90 with 15% (no cap): 67.035 rounds down to 67.03
    PERFORM tests.set_id('percent', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('percent'), tests.id('a'), 2);
    PERFORM tests.make_cart_line(tests.id('percent'), tests.id('b'), 1);
    PERFORM tests.attach_coupon(
        tests.id('percent'),
        tests.make_coupon(p_discount_type => 'percentage', p_discount_value => 15)::integer
    );

    -- capped: 446.90 with 10% capped at ₹20
    PERFORM tests.set_id('capped', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('capped'), tests.id('a'), 2);
    PERFORM tests.make_cart_line(tests.id('capped'), tests.id('b'), 1);
    PERFORM tests.attach_coupon(
        tests.id('capped'),
        tests.make_coupon(p_discount_type => 'percentage', p_discount_value => 10, p_max_discount => 2000)
    );

    -- below: 2 x 200 + 123.45 = 523.45, minus ₹50 flat = 473.45: under ₹499 again, so shipping
    PERFORM tests.set_id('below', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('below'), tests.id('b'), 2);
    PERFORM tests.make_cart_line(tests.id('below'), tests.id('a'), 1);
    PERFORM tests.set_id('flat', tests.make_coupon(p_discount_value => 5000));
    PERFORM tests.attach_coupon(tests.id('below'), tests.id('flat')::integer);

    -- expired coupon: stays attached, gives nothing
    PERFORM tests.set_id('expired', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('expired'), tests.id('b'), 1);
    PERFORM tests.set_id('expired_coupon', tests.make_coupon(
        p_valid_from => now() - interval '2 days', p_valid_until => now() - interval '1 day'
    ));
    PERFORM tests.attach_coupon(tests.id('expired'), tests.id('expired_coupon')::integer);

    PERFORM tests.set_json('cart_plain', internal.cart_body(tests.id('plain')));
    PERFORM tests.set_json('cart_free', internal.cart_body(tests.id('free')));
    PERFORM tests.set_json('cart_percent', internal.cart_body(tests.id('percent')));
    PERFORM tests.set_json('cart_capped', internal.cart_body(tests.id('capped')));
    PERFORM tests.set_json('cart_below', internal.cart_body(tests.id('below')));
    PERFORM tests.set_json('cart_expired', internal.cart_body(tests.id('expired')));
END
$$;

SELECT is(
    (
        SELECT array_agg((x.item ->> 'line_total')::bigint ORDER BY x.ordinal)
        FROM jsonb_array_elements(tests.json('cart_plain') -> 'items') WITH ORDINALITY AS x (item, ordinal)
    ),
    ARRAY[24690, 20000]::bigint[],
    'line totals: price x quantity, lines in the order they were added'
);
SELECT is(
    tests.pick(tests.json('cart_plain'), ARRAY['item_count', 'subtotal', 'discount', 'shipping', 'total']),
    '{"item_count": 3, "subtotal": 44690, "discount": 0, "shipping": 4000, "total": 48690}'::jsonb,
    'under ₹499: units counted, ₹40 shipping added'
);
SELECT is(
    tests.pick(tests.json('cart_free'), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    '{"subtotal": 62245, "discount": 0, "shipping": 0, "total": 62245}'::jsonb,
    'from ₹499: free shipping'
);
SELECT is(
    tests.pick(tests.json('cart_percent'), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    '{"subtotal": 44690, "discount": 6703, "shipping": 4000, "total": 41987}'::jsonb,
    'a percentage is rounded down to whole paise'
);
SELECT is(
    (tests.json('cart_capped') ->> 'discount')::bigint,
    2000::bigint,
    'a percentage is capped by max_discount'
);
SELECT is(
    (tests.json('cart_capped') ->> 'total')::bigint,
    44690 - 2000 + 4000::bigint,
    'total = subtotal - discount + shipping'
);
SELECT is(
    tests.pick(tests.json('cart_below'), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    '{"subtotal": 52345, "discount": 5000, "shipping": 4000, "total": 51345}'::jsonb,
    'shipping looks at the subtotal after the discount'
);
SELECT is(
    tests.json('cart_below') -> 'coupon',
    jsonb_build_object('code', tests.coupon_code(tests.id('flat')::integer), 'description', 'Test coupon'),
    'the attached coupon is shown with its code and description'
);
SELECT is(
    tests.pick(tests.json('cart_expired'), ARRAY['subtotal', 'discount', 'shipping', 'total']),
    '{"subtotal": 20000, "discount": 0, "shipping": 4000, "total": 24000}'::jsonb,
    'a coupon that stopped applying gives no discount'
);
SELECT is(
    tests.json('cart_expired') #>> '{coupon,code}', tests.coupon_code(tests.id('expired_coupon')::integer),
    'and stays attached, shown'
);

-- The cart shows the current price, not the one stored on the line.
DO $$
BEGIN
    PERFORM tests.set_id('stale', tests.make_user());
    PERFORM tests.set_id('repriced', tests.make_product(p_price => 12000, p_stock => 5));
    PERFORM tests.make_cart_line(tests.id('stale'), tests.id('repriced'), 2, p_unit_price => 10000);
    PERFORM tests.set_json('cart_stale', internal.cart_body(tests.id('stale')));
END
$$;

SELECT is(
    tests.pick(tests.json('cart_stale') -> 'items' -> 0, ARRAY['unit_price', 'line_total']),
    '{"unit_price": 12000, "line_total": 24000}'::jsonb,
    'unit_price is the current price, not the one stored when the line was added'
);
SELECT is((tests.json('cart_stale') ->> 'subtotal')::bigint, 24000::bigint, 'and the subtotal uses it');

-- available_quantity: on hand minus active unexpired reservations; 0 for a product switched off.
DO $$
BEGIN
    PERFORM tests.set_id('shopper', tests.make_user());
    PERFORM tests.set_id('held', tests.make_product(p_price => 1000, p_stock => 10));
    PERFORM tests.make_reservation(tests.id('held'), 3);
    PERFORM tests.make_reservation(tests.id('held'), 4, now() - interval '1 minute');
    PERFORM tests.set_id('off', tests.make_product(p_price => 2500, p_stock => 10, p_is_active => FALSE));
    PERFORM tests.make_cart_line(tests.id('shopper'), tests.id('held'), 1);
    PERFORM tests.make_cart_line(tests.id('shopper'), tests.id('off'), 2);
    PERFORM tests.set_json('cart_shopper', internal.cart_body(tests.id('shopper')));
    PERFORM tests.set_id('cartless', tests.make_user());
END
$$;

SELECT is(
    (tests.json('cart_shopper') #>> '{items,0,available_quantity}')::integer, 7,
    'available: 10 on hand - 3 reserved (the expired reservation does not count)'
);
SELECT is(
    (tests.json('cart_shopper') #>> '{items,1,available_quantity}')::integer, 0,
    'a product switched off: its line stays listed with 0 available'
);
SELECT is(
    tests.pick(tests.json('cart_shopper'), ARRAY['item_count', 'subtotal']),
    '{"item_count": 3, "subtotal": 6000}'::jsonb,
    'and still counts in the totals (validation reports it)'
);
SELECT is(
    internal.cart_body(tests.id('cartless')),
    '{"id": null, "items": [], "item_count": 0, "subtotal": 0, "coupon": null, "discount": 0,
      "shipping": 0, "total": 0, "currency": "INR"}'::jsonb,
    'a user without a cart: an empty body, id null'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
