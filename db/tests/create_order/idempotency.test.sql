-- create_order with an Idempotency-Key: the same key and body answer the first order again
-- and place nothing new, even after the cart changed; the same key with another body raises
-- JK422 idempotency_key_reused.
BEGIN;

SELECT plan(4);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
    v_product bigint := tests.set_id('product', tests.make_product(p_stock => 5));
BEGIN
    PERFORM tests.set_id('address', tests.make_address(v_user));
    PERFORM tests.make_cart_line(v_user, v_product, 1);
    PERFORM tests.set_json('first', api.create_order(v_user, tests.id('address'), NULL, 'key-1'));
    PERFORM tests.make_cart_line(v_user, v_product, 2);
END
$$;

SELECT is(
    api.create_order(tests.id('user'), tests.id('address'), NULL, 'key-1'), tests.json('first'),
    'the same key: the first answer'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.orders
        WHERE user_id = tests.id('user')
    ), 1, 'one order'
);
SELECT is(internal.available_stock(tests.id('product')), 4, 'one unit reserved, once');
SELECT throws_ok(
    format($$SELECT api.create_order(%s, %s, 'WELCOME10', 'key-1')$$, tests.id('user'), tests.id('address')),
    'JK422', 'idempotency_key_reused', 'the same key with another body'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
