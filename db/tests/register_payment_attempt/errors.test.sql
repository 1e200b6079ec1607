-- register_payment_attempt and attach_gateway_order refuse: another user's or an unknown order
-- (JK404 order_not_found), an order not unpaid or past its window (JK409 order_not_payable);
-- an Idempotency-Key replays the final answer and refuses another body (JK422).
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order('a_');
    PERFORM tests.make_paid_order('paid_');
    PERFORM tests.make_unpaid_order('late_');
    UPDATE store.orders SET payment_due_at = now() - interval '1 second' WHERE id = tests.id('late_order');
    PERFORM tests.make_unpaid_order('key_');
    PERFORM api.attach_gateway_order(tests.id('key_user'), tests.id('key_order'), 'mock', 'order_KeyTest000001', 'k', 'key-1');
END
$$;

SELECT throws_ok(
    format($$SELECT api.register_payment_attempt(%s, %s, 'k')$$, tests.id('paid_user'), tests.id('a_order')),
    'JK404', 'order_not_found', 'another user''s order'
);
SELECT throws_ok(
    format(
        $$SELECT api.register_payment_attempt(%s, %s, 'k')$$, tests.id('paid_user'), tests.id('paid_order')
    ),
    'JK409', 'order_not_payable', 'a paid order'
);
SELECT throws_ok(
    format(
        $$SELECT api.register_payment_attempt(%s, %s, 'k')$$, tests.id('late_user'), tests.id('late_order')
    ),
    'JK409', 'order_not_payable', 'an order past its payment window'
);
SELECT throws_ok(
    format(
        $$SELECT api.attach_gateway_order(%s, %s, 'mock', 'order_Late00000001', 'k')$$,
        tests.id('late_user'), tests.id('late_order')
    ),
    'JK409', 'order_not_payable', 'attaching is refused too once the window closed'
);
SELECT is(tests.payment_row(tests.id('late_order')), NULL::store.payments, 'and nothing is stored');
SELECT is(
    api.register_payment_attempt(tests.id('key_user'), tests.id('key_order'), 'k', 'key-1')
    ->> 'gateway_order_id',
    'order_KeyTest000001', 'the key replays the answer stored after the gateway step'
);
SELECT is(tests.attempts(tests.id('key_order')), ARRAY['initiate:created'], 'a replay records no attempt');
SELECT throws_ok(
    format(
        $$SELECT api.register_payment_attempt(%s, %s, 'k', 'key-1')$$,
        tests.id('key_user'),
        tests.id('a_order')
    ),
    'JK422', 'idempotency_key_reused', 'the key with another order'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
