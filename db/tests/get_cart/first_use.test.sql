-- get_cart: a user's first look creates one empty cart; later looks answer the same cart with
-- its lines. The body has exactly the fields docs/api.md lists.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_json('first', api.get_cart(tests.id('user')));
    PERFORM tests.set_json('second', api.get_cart(tests.id('user')));
END
$$;

SELECT is(
    (
        SELECT count(*)::integer FROM store.carts
        WHERE user_id = tests.id('user')
    ), 1,
    'the first look created one cart, the second none'
);
SELECT is(
    (tests.json('first') ->> 'id')::bigint,
    (
        SELECT c.id FROM store.carts AS c
        WHERE c.user_id = tests.id('user')
    ),
    'the body carries the cart id'
);
SELECT is(tests.json('second') -> 'id', tests.json('first') -> 'id', 'the same cart both times');
SELECT is(
    (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(tests.json('first')) AS k),
    ARRAY[
        'coupon', 'currency', 'discount', 'id', 'item_count', 'items', 'shipping', 'subtotal', 'total'
    ],
    'exactly the cart fields'
);
SELECT is(
    tests.pick(tests.json('first'), ARRAY[
        'items', 'item_count', 'subtotal', 'coupon', 'discount', 'shipping', 'total', 'currency'
    ]),
    '{"items": [], "item_count": 0, "subtotal": 0, "coupon": null, "discount": 0,
      "shipping": 0, "total": 0, "currency": "INR"}'::jsonb,
    'an empty cart: no lines, everything 0 (no shipping on nothing), INR'
);

DO $$
BEGIN
    PERFORM tests.set_id('product', tests.make_product(p_name => 'Stacking Rings', p_price => 34900));
    PERFORM tests.set_id('line', tests.make_cart_line(tests.id('user'), tests.id('product'), 2));
    PERFORM tests.set_json('with_line', api.get_cart(tests.id('user')));
END
$$;

SELECT is(
    jsonb_array_length(tests.json('with_line') -> 'items'), 1, 'the line is listed'
);
SELECT is(
    (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(tests.json('with_line') -> 'items' -> 0) AS k),
    ARRAY[
        'available_quantity', 'id', 'image_url', 'line_total', 'name', 'product_id', 'quantity', 'unit_price'
    ],
    'exactly the line fields'
);
SELECT is(
    tests.json('with_line') -> 'items' -> 0,
    jsonb_build_object(
        'id', tests.id('line'), 'product_id', tests.id('product'), 'name', 'Stacking Rings',
        'image_url', (
            SELECT store.versioned_image_url(url, content_version) FROM store.product_images
            WHERE product_id = tests.id('product')
        ),
        'unit_price', 34900, 'quantity', 2, 'line_total', 69800, 'available_quantity', 10
    ),
    'the line: product, thumbnail, price, quantity, line total, units available'
);
SELECT is(
    tests.json('with_line') -> 'id', tests.json('first') -> 'id', 'still the same cart'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
