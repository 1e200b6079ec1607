-- register_payment_attempt (POST /payments/initiate, first half) and attach_gateway_order
-- (second half): an order without a payment asks for a gateway order (amount = total,
-- receipt); attaching stores one payment with its first attempt; initiating again answers the
-- same gateway order with a new attempt, and a failed payment becomes ready again.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order();
    PERFORM tests.set_json('first', api.register_payment_attempt(tests.id('user'), tests.id('order'), 'rzp_key'));
    PERFORM tests.set_json('attached', api.attach_gateway_order(
        tests.id('user'), tests.id('order'), 'mock', 'order_AttachTest0001', 'rzp_key'
    ));
END
$$;

SELECT is(
    tests.json('first'),
    jsonb_build_object('gateway_order', jsonb_build_object(
        'user_id', tests.id('user'), 'order_id', tests.id('order'), 'amount', 120000,
        'currency', 'INR', 'receipt', 'jk-order-' || tests.id('order'), 'idempotency_key', NULL
    )),
    'no payment yet: a gateway order is needed, for the order total'
);
SELECT is(
    tests.json('attached'),
    jsonb_build_object(
        'payment_id', (tests.payment_row(tests.id('order'))).id, 'order_id', tests.id('order'),
        'gateway', 'mock', 'gateway_order_id', 'order_AttachTest0001', 'key_id', 'rzp_key',
        'amount', 120000, 'currency', 'INR', 'status', 'created'
    ),
    'attached: the checkout body'
);
SELECT is(
    api.register_payment_attempt(tests.id('user'), tests.id('order'), 'rzp_key'), tests.json('attached'),
    'initiating again answers the same gateway order'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.payments
        WHERE order_id = tests.id('order')
    ), 1, 'one payment'
);
SELECT is(tests.attempts(tests.id('order')), ARRAY['initiate:created', 'initiate:created'], 'two attempts');

UPDATE store.payments SET status = 'failed'
WHERE order_id = tests.id('order');
SELECT is(
    api.register_payment_attempt(tests.id('user'), tests.id('order'), 'rzp_key') ->> 'status', 'created',
    'a failed payment is ready for another try'
);
SELECT is(
    api.attach_gateway_order(tests.id('user'), tests.id('order'), 'mock', 'order_AttachTest0002', 'rzp_key')
    ->> 'gateway_order_id',
    'order_AttachTest0001',
    'a second gateway order attached later loses: one payment per order'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.payments
        WHERE order_id = tests.id('order')
    ), 1, 'still one payment'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
