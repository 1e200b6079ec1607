-- verify_payment: a good checkout signature (over the gateway order id we stored) captures the
-- payment, sells the stock and confirms the order, once; verifying again answers the same and
-- changes nothing.
BEGIN;

SELECT plan(10);

DO $$
DECLARE
    v_gateway_order_id text;
    v_pay text := tests.set_value('pay', tests.gateway_id('pay'));
BEGIN
    PERFORM tests.make_unpaid_order(p_quantity => 2, p_stock => 3);
    v_gateway_order_id := tests.start_payment(tests.id('user'), tests.id('order'));
    PERFORM tests.set_json('first', api.verify_payment(
        tests.id('user'), v_gateway_order_id, v_pay,
        tests.checkout_signature(v_gateway_order_id, v_pay), tests.key_secret()
    ));
    PERFORM tests.set_json('again', api.verify_payment(
        tests.id('user'), v_gateway_order_id, v_pay,
        tests.checkout_signature(v_gateway_order_id, v_pay), tests.key_secret()
    ));
END
$$;

SELECT is(
    tests.json('first'),
    jsonb_build_object(
        'payment_id', (tests.payment_row(tests.id('order'))).id, 'order_id', tests.id('order'),
        'status', 'captured', 'order_status', 'confirmed'
    ),
    'captured, the order confirmed'
);
SELECT is(tests.json('again'), tests.json('first'), 'verifying again answers the same');
SELECT is(
    row(
        (tests.payment_row(tests.id('order'))).amount_captured,
        (tests.payment_row(tests.id('order'))).gateway_payment_id
    )::text,
    row(120000, tests.value('pay'))::text, 'the whole amount is captured under the payment id'
);
SELECT ok((tests.payment_row(tests.id('order'))).captured_at IS NOT NULL, 'with its time');
SELECT is(tests.on_hand(tests.id('product')), 1, 'two units sold, once');
SELECT is(tests.units_sold(tests.id('product')), 2::bigint, 'and counted once');
SELECT
    is(
        tests.attempts(tests.id('order')),
        ARRAY['initiate:created', 'verify:captured'],
        'one capture recorded'
    );
SELECT
    is(
        tests.order_history(tests.id('order')),
        ARRAY['pending_payment>confirmed:customer'],
        'one confirmation, by the customer'
    );
SELECT is(
    tests.order_events(tests.id('order')), ARRAY['order.placed', 'order.paid'],
    'one order.paid event, nothing to refund (no refund.requested)'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
