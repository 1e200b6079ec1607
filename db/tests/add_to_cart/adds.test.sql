-- add_to_cart: creates the cart on first use, adds a line at the current price and answers the
-- cart; the same product again adds to its line (and refreshes the stored price).
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('train', tests.make_product(p_name => 'Wooden Train Set', p_price => 129900, p_stock => 8));
    PERFORM tests.set_id('ball', tests.make_product(p_price => 19900, p_stock => 8));
    PERFORM tests.set_json('cart_first', api.add_to_cart(tests.id('user'), tests.id('train'), 2));
END
$$;

SELECT is(
    (
        SELECT count(*)::integer FROM store.carts
        WHERE user_id = tests.id('user')
    ), 1,
    'the first add created the cart'
);
SELECT is(
    tests.json('cart_first'), internal.cart_body(tests.id('user')), 'it answers the cart body'
);
SELECT is(
    tests.pick(
        tests.json('cart_first') -> 'items' -> 0,
        ARRAY['product_id', 'name', 'unit_price', 'quantity', 'line_total']
    ),
    jsonb_build_object(
        'product_id', tests.id('train'), 'name', 'Wooden Train Set', 'unit_price', 129900,
        'quantity', 2, 'line_total', 259800
    ),
    'the line: product, price, quantity'
);
SELECT is(
    (
        SELECT ci.unit_price FROM store.cart_items AS ci
        WHERE ci.user_id = tests.id('user')
    ),
    129900::bigint,
    'the line stores the price seen when it was added'
);

DO $$
BEGIN
    UPDATE store.products SET price = 119900 WHERE id = tests.id('train');
    PERFORM tests.set_json('cart_again', api.add_to_cart(tests.id('user'), tests.id('train'), 3));
END
$$;

SELECT is(
    jsonb_array_length(tests.json('cart_again') -> 'items'), 1, 'the same product again: still one line'
);
SELECT is(
    (tests.json('cart_again') #>> '{items,0,quantity}')::integer, 5, 'its quantity is the sum, 2 + 3'
);
SELECT is(
    (
        SELECT ci.unit_price FROM store.cart_items AS ci
        WHERE ci.user_id = tests.id('user')
    ),
    119900::bigint,
    'adding again stores the price seen now'
);
SELECT is(
    (tests.json('cart_again') #>> '{items,0,id}')::bigint,
    (tests.json('cart_first') #>> '{items,0,id}')::bigint,
    'the line keeps its id'
);

DO $$
BEGIN
    PERFORM tests.set_json('cart_two', api.add_to_cart(tests.id('user'), tests.id('ball'), 1));
END
$$;

SELECT is(
    (
        SELECT array_agg((x.item ->> 'product_id')::bigint ORDER BY x.ordinal)
        FROM jsonb_array_elements(tests.json('cart_two') -> 'items') WITH ORDINALITY AS x (item, ordinal)
    ),
    ARRAY[tests.id('train'), tests.id('ball')],
    'another product gets its own line, after the first'
);
SELECT is(
    tests.pick(tests.json('cart_two'), ARRAY['item_count', 'subtotal']),
    '{"item_count": 6, "subtotal": 619400}'::jsonb,
    'units and subtotal cover both lines (5 x 1199 + 199)'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
