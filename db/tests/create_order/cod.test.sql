-- create_order with payment_method cod: the order adds the COD fee, is confirmed by the system
-- at once with its stock sold (no reservation left, no payment row) and emits order.placed then
-- order.confirmed, never order.paid. Refused with JK422 cod_not_available, writing nothing,
-- above the COD limit, to a pincode without COD or with too many COD orders on the way; a
-- payment method that is neither
-- online nor cod is a validation_error.
BEGIN;

SELECT plan(20);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.set_id('product', tests.make_product(p_price => 30000, p_stock => 10));
    PERFORM tests.set_id('dear', tests.make_product(p_price => 600000, p_stock => 10));
    PERFORM tests.set_id('order', tests.place_order(
        v_user, ARRAY[tests.id('product')], ARRAY[2], p_payment_method => 'cod'
    ));
END
$$;

SELECT is(
    (
        SELECT row(o.status, o.payment_method, o.subtotal, o.shipping, o.cod_fee, o.total)::text
        FROM store.orders AS o
        WHERE o.id = tests.id('order')
    ),
    row('confirmed', 'cod', 60000, 0, internal.cod_fee(), 60000 + internal.cod_fee())::text,
    'a COD order is confirmed at once and its total adds the COD fee'
);
SELECT is(internal.cod_fee(), 4900::bigint, 'the COD fee is ₹49');
SELECT is(tests.on_hand(tests.id('product')), 8, 'its units are sold: on hand goes down');
SELECT is(tests.units_sold(tests.id('product')), 2::bigint, 'and count as sales');
SELECT is(
    (tests.reservation(tests.id('user'), tests.id('order'), tests.id('product'))).status, 'consumed',
    'its reservation is consumed, not left active'
);
SELECT is_empty(
    format('SELECT FROM store.payments WHERE order_id = %s', tests.id('order')),
    'it has no payment: nothing is captured for cash on delivery'
);
SELECT is(
    tests.order_events(tests.id('order')), ARRAY['order.placed', 'order.confirmed'],
    'it emits order.placed then order.confirmed, not order.paid'
);
SELECT is(
    tests.order_history(tests.id('order')), ARRAY['pending_payment>confirmed:system'],
    'the system confirmed it'
);
SELECT is(internal.check_invariants(), '[]'::jsonb, 'the invariants hold');
SELECT is(
    tests.error_of(format(
        $$SELECT api.initiate_refund(%s, %s, 'Changed my mind')$$, tests.id('user'), tests.id('order')
    )) - 'column',
    jsonb_build_object(
        'sqlstate', 'JK409', 'message', 'order_not_refundable',
        'detail', format('Order %s is cash on delivery: nothing was paid online to refund', tests.id('order'))
    ),
    'a refund of it is refused: nothing was paid online'
);

-- The limit: a total over cod_limit() is refused; the same cart online is accepted.
DO $$
BEGIN
    PERFORM tests.set_id('big', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('big'), tests.id('dear'), 2);
    PERFORM tests.set_id('big_address', tests.make_address(tests.id('big')));
END
$$;
SELECT throws_ok(
    format(
        $$SELECT api.create_order(%s, %s, p_payment_method => 'cod')$$,
        tests.id('big'), tests.id('big_address')
    ),
    'JK422', 'cod_not_available', 'a COD order over the limit is refused'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.create_order(%s, %s, p_payment_method => 'cod')$$,
        tests.id('big'), tests.id('big_address')
    )) ->> 'detail',
    'Cash on delivery is available for orders up to ₹10000; this one is ₹12049',
    'the detail gives the limit and the total with the fee'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.orders
        WHERE user_id = tests.id('big')
    ), 0,
    'the refused order wrote nothing'
);
SELECT is(
    api.create_order(tests.id('big'), tests.id('big_address')) ->> 'status', 'pending_payment',
    'the same cart is accepted to pay online'
);

-- Orders on the way: cod_open_order_limit() (2) confirmed, packed or shipped COD orders; a
-- delivered one no longer counts.
DO $$
BEGIN
    PERFORM tests.place_order(
        tests.id('user'), ARRAY[tests.id('product')], ARRAY[1], p_payment_method => 'cod'
    );
    PERFORM tests.make_cart_line(tests.id('user'), tests.id('product'), 1);
END
$$;
SELECT throws_ok(
    format(
        $$SELECT api.create_order(%s, %s, p_payment_method => 'cod')$$,
        tests.id('user'), tests.make_address(tests.id('user'))
    ),
    'JK422', 'cod_not_available', 'a third COD order on the way is refused'
);
SELECT lives_ok(
    format(
        $$SELECT internal.transition_order(%1$s, %2$s, 'packed', 'staff', %4$s, NULL),
            internal.transition_order(%1$s, %2$s, 'shipped', 'staff', %4$s, NULL),
            internal.transition_order(%1$s, %2$s, 'delivered', 'staff', %4$s, NULL),
            api.create_order(%1$s, %3$s, p_payment_method => 'cod')$$,
        tests.id('user'), tests.id('order'), tests.make_address(tests.id('user')), tests.make_staff()
    ),
    'once one of them is delivered, another COD order is accepted'
);

-- A pincode the store serves without cash on delivery (store.pincodes.cod_allowed).
DO $$
BEGIN
    PERFORM tests.set_id('islander', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('islander'), tests.id('product'), 1);
    INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (tests.id('islander'), 'Test Parent', tests.new_phone(), '1 Beach Road', 'Sri Vijaya Puram',
        'Andaman and Nicobar Islands', '744101');
    PERFORM tests.set_id('island', (SELECT max(id) FROM store.addresses WHERE user_id = tests.id('islander')));
END
$$;
SELECT throws_ok(
    format(
        $$SELECT api.create_order(%s, %s, p_payment_method => 'cod')$$,
        tests.id('islander'), tests.id('island')
    ),
    'JK422', 'cod_not_available', 'a pincode without cash on delivery'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.create_order(%s, %s, p_payment_method => 'cod')$$,
        tests.id('islander'), tests.id('island')
    )) ->> 'detail',
    'Cash on delivery is not available at pincode 744101',
    'the detail names the pincode'
);
SELECT throws_ok(
    format(
        $$SELECT api.create_order(%s, %s, p_payment_method => 'cash')$$,
        tests.id('big'), tests.id('big_address')
    ),
    'JK422', 'validation_error', 'a payment method that is neither online nor cod'
);
SELECT is(internal.check_invariants(), '[]'::jsonb, 'the invariants still hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
