-- create_order refuses an address the store cannot deliver to, JK422 pincode_not_serviceable
-- naming the pincode: a pincode not served, or one store.pincodes does not hold (an address
-- from before the pincode rules). Nothing is written: no order, the cart as it was, no stock
-- held. The same cart is ordered to a served pincode.
BEGIN;

SELECT plan(6);

INSERT INTO store.pincodes (pincode, district, state, serviceable, cod_allowed, delivery_days)
VALUES ('999501', 'Test Remote', 'Nagaland', FALSE, FALSE, NULL);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.set_id('served', tests.make_address(v_user));
    PERFORM tests.set_id('remote', tests.make_address(v_user));
    UPDATE store.addresses SET state = 'Nagaland', pincode = '999501'
    WHERE user_id = v_user AND id = tests.id('remote');
    PERFORM tests.set_id('unknown', tests.make_address(v_user));
    UPDATE store.addresses SET pincode = '999502'
    WHERE user_id = v_user AND id = tests.id('unknown');
    PERFORM tests.set_id('product', tests.make_product(p_price => 30000, p_stock => 2));
    PERFORM tests.make_cart_line(v_user, tests.id('product'), 1);
END
$$;

PREPARE place (bigint) AS SELECT api.create_order(tests.id('user'), $1);

SELECT throws_ok(
    format('EXECUTE place(%s)', tests.id('remote')), 'JK422', 'pincode_not_serviceable',
    'an address in a pincode not served'
);
SELECT is(
    tests.error_of(format('EXECUTE place(%s)', tests.id('unknown'))) - 'column',
    jsonb_build_object(
        'sqlstate', 'JK422', 'message', 'pincode_not_serviceable',
        'detail', 'We do not deliver to pincode 999502 yet'
    ),
    'an address in a pincode the store does not know, naming it'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.orders
        WHERE user_id = tests.id('user')
    ), 0, 'no order'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.cart_items
        WHERE user_id = tests.id('user')
    ), 1,
    'the cart is as it was'
);
SELECT is(internal.available_stock(tests.id('product')), 2, 'no stock held');
SELECT is(
    api.create_order(tests.id('user'), tests.id('served')) ->> 'status', 'pending_payment',
    'the same cart to a served pincode is ordered'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
