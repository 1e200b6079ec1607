-- payment_webhook's events: payment.captured emits one order.paid, its duplicate (same event
-- id) nothing; a capture of the wrong amount is rejected and emits nothing; a capture for a
-- cancelled order is refunded: one refund.requested for the whole capture, no order.paid.
BEGIN;

SELECT plan(4);

DO $$
DECLARE
    v_gw text;
BEGIN
    PERFORM tests.make_unpaid_order('w_');
    v_gw := tests.start_payment(tests.id('w_user'), tests.id('w_order'));
    PERFORM tests.webhook(tests.payment_event('payment.captured', v_gw, 'pay_OutboxEvent00001', 120000), 'evt_ob_1');
    PERFORM tests.webhook(tests.payment_event('payment.captured', v_gw, 'pay_OutboxEvent00001', 120000), 'evt_ob_1');

    PERFORM tests.make_unpaid_order('m_');
    v_gw := tests.start_payment(tests.id('m_user'), tests.id('m_order'));
    PERFORM tests.webhook(tests.payment_event('payment.captured', v_gw, 'pay_OutboxEvent00002', 119999));

    PERFORM tests.make_unpaid_order('c_');
    v_gw := tests.start_payment(tests.id('c_user'), tests.id('c_order'));
    PERFORM api.cancel_order(tests.id('c_user'), tests.id('c_order'));
    PERFORM tests.webhook(tests.payment_event('payment.captured', v_gw, 'pay_OutboxEvent00003', 120000));
END
$$;

SELECT is(
    tests.order_events(tests.id('w_order')), ARRAY['order.placed', 'order.paid'],
    'payment.captured: one order.paid, none for its duplicate'
);
SELECT is(
    tests.order_events(tests.id('m_order')), ARRAY['order.placed'],
    'a capture of the wrong amount emits nothing'
);
SELECT is(
    tests.order_events(tests.id('c_order')), ARRAY['order.placed', 'order.cancelled', 'refund.requested'],
    'a capture for a cancelled order: no order.paid, one refund.requested'
);
SELECT is(
    tests.event_payloads(tests.id('c_order'), 'refund.requested'),
    jsonb_build_array(jsonb_build_object(
        'refund_id', (
            SELECT r.id FROM store.refunds AS r
            WHERE r.order_id = tests.id('c_order')
        ),
        'user_id', tests.id('c_user'), 'order_id', tests.id('c_order'), 'amount', 120000
    )),
    'for the whole capture'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
