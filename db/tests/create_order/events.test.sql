-- create_order emits one order.placed event in its transaction, with the order as placed
-- ({"order_id", "user_id", "phone", "status": "pending_payment", "total", "currency"}); a
-- replay under the same Idempotency-Key emits nothing more, and a refused order (short of
-- stock, empty cart) emits nothing.
BEGIN;

SELECT plan(5);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
    v_product bigint := tests.set_id('product', tests.make_product(p_price => 30000, p_stock => 5));
BEGIN
    PERFORM tests.set_id('address', tests.make_address(v_user));
    PERFORM tests.make_cart_line(v_user, v_product, 2);
    PERFORM tests.set_json('first', api.create_order(v_user, tests.id('address'), NULL, 'key-e'));
    PERFORM tests.set_id('order', (tests.json('first') ->> 'id')::bigint);
    PERFORM api.create_order(v_user, tests.id('address'), NULL, 'key-e');

    PERFORM tests.set_id('short', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('short'), tests.make_product(p_stock => 1), 1);
    UPDATE store.inventory SET on_hand = 0
    WHERE product_id = (SELECT c.product_id FROM store.cart_items AS c WHERE c.user_id = tests.id('short'));
    PERFORM tests.set_id('empty', tests.make_user());
END
$$;

SELECT is(tests.order_events(tests.id('order')), ARRAY['order.placed'], 'one order.placed event');
SELECT is(
    tests.event_payloads(tests.id('order'), 'order.placed') -> 0,
    jsonb_build_object(
        'order_id', tests.id('order'), 'user_id', tests.id('user'),
        'phone', (
            SELECT u.phone FROM store.users AS u
            WHERE u.id = tests.id('user')
        ),
        'status', 'pending_payment', 'total', 60000, 'currency', 'INR'
    ),
    'with the order as placed: id, buyer, buyer''s phone, pending_payment, total, currency'
);
SELECT throws_ok(
    format('SELECT api.create_order(%s, %s)', tests.id('short'), tests.make_address(tests.id('short'))),
    'JK409', 'insufficient_stock', 'an order short of stock is refused'
);
SELECT throws_ok(
    format('SELECT api.create_order(%s, %s)', tests.id('empty'), tests.make_address(tests.id('empty'))),
    'JK409', 'cart_empty', 'an empty cart is refused'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.outbox_events AS e
        WHERE (e.payload ->> 'user_id')::bigint IN (tests.id('short'), tests.id('empty'))
    ),
    0, 'refused orders emit nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
