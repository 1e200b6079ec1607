-- create_order: the order is pending_payment with the cart's lines at the current price, its
-- stock reserved until payment_due_at (now + reservation_ttl), the coupon redeemed and recorded,
-- the address copied, the cart emptied and its coupon detached. Its answer is order_body.
BEGIN;

SELECT plan(12);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
    v_coupon integer := tests.set_id('coupon', tests.make_coupon(p_discount_value => 1000, p_usage_limit => 3));
    v_answer jsonb;
BEGIN
    PERFORM tests.set_id('product', tests.make_product(p_name => 'Kite', p_price => 25000, p_stock => 5));
    PERFORM tests.make_cart_line(v_user, tests.id('product'), 2, p_unit_price => 20000);
    PERFORM tests.attach_coupon(v_user, v_coupon);
    PERFORM tests.set_id('address', tests.new_address(v_user, 'Asha Rao'));
    v_answer := api.create_order(v_user, tests.id('address'));
    PERFORM tests.set_json('answer', v_answer);
    PERFORM tests.set_id('order', (v_answer ->> 'id')::bigint);
END
$$;

SELECT is(tests.json('answer') ->> 'status', 'pending_payment', 'the order is unpaid');
SELECT is(
    tests.json('answer') -> 'items',
    jsonb_build_array(jsonb_build_object(
        'product_id', tests.id('product'), 'name', 'Kite',
        'unit_price', 25000, 'quantity', 2, 'line_total', 50000
    )),
    'its line is at the current price, not the one seen when added'
);
SELECT is(
    tests.json('answer'),
    internal.order_body(tests.order_row(tests.id('order'))),
    'the answer is order_body'
);
SELECT is(
    (tests.json('answer') ->> 'discount')::bigint, 1000::bigint, 'the cart''s coupon applied'
);
SELECT is(tests.used_count(tests.id('coupon')::integer), 1, 'and was redeemed');
SELECT is(
    (
        SELECT u.discount FROM store.coupon_usage AS u
        WHERE u.order_id = tests.id('order')
    ), 1000::bigint,
    'the use is recorded with its discount'
);
SELECT is(internal.available_stock(tests.id('product')), 3, 'two units reserved');
SELECT is(tests.on_hand(tests.id('product')), 5, 'none sold yet');
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('product'))).expires_at,
    (tests.order_row(tests.id('order'))).payment_due_at,
    'the reservation lasts as long as the payment window'
);
SELECT is(
    (tests.order_row(tests.id('order'))).payment_due_at,
    now() + internal.reservation_ttl(),
    'which is reservation_ttl from now'
);
SELECT is(
    tests.json('answer') -> 'address' ->> 'name', 'Asha Rao', 'the address is copied onto the order'
);
SELECT is(
    internal.cart_body(tests.id('user')) - 'id',
    jsonb_build_object(
        'items', '[]'::jsonb, 'item_count', 0, 'subtotal', 0, 'coupon', NULL,
        'discount', 0, 'shipping', 0, 'total', 0, 'currency', 'INR'
    ),
    'the cart is empty and its coupon detached'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
