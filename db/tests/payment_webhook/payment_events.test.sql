-- payment_webhook with payment events: payment.captured confirms; the same event id again is a
-- duplicate that changes nothing; events out of order: payment.failed after the capture is
-- recorded and changes nothing; a capture of the wrong amount or currency is recorded as
-- rejected, answered (200) and leaves the order pending; a capture for a cancelled order is
-- recorded and refunded; an unknown gateway order and other event types are recorded, ignored.
BEGIN;

SELECT plan(12);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order('a_');
    PERFORM tests.set_value('a_gw', tests.start_payment(tests.id('a_user'), tests.id('a_order')));
    PERFORM tests.set_json('captured', tests.webhook(
        tests.payment_event('payment.captured', tests.value('a_gw'), 'pay_EventTest000001', 120000), 'evt_cap_1'));
    PERFORM tests.set_json('duplicate', tests.webhook(
        tests.payment_event('payment.captured', tests.value('a_gw'), 'pay_EventTest000001', 120000), 'evt_cap_1'));
    PERFORM tests.set_json('failed_late', tests.webhook(
        tests.payment_event('payment.failed', tests.value('a_gw'), 'pay_EventTest000002', 120000)));

    PERFORM tests.make_unpaid_order('m_');
    PERFORM tests.set_value('m_gw', tests.start_payment(tests.id('m_user'), tests.id('m_order')));
    PERFORM tests.set_json('mismatch', tests.webhook(
        tests.payment_event('payment.captured', tests.value('m_gw'), 'pay_EventTest000003', 120000, 'USD')));

    PERFORM tests.make_unpaid_order('c_');
    PERFORM tests.set_value('c_gw', tests.start_payment(tests.id('c_user'), tests.id('c_order')));
    PERFORM api.cancel_order(tests.id('c_user'), tests.id('c_order'));
    PERFORM tests.set_json('late', tests.webhook(
        tests.payment_event('payment.captured', tests.value('c_gw'), 'pay_EventTest000004', 120000)));

    PERFORM tests.set_json('unknown', tests.webhook(
        tests.payment_event('payment.captured', 'order_NotOurs0000001', 'pay_EventTest000005', 120000)));
    PERFORM tests.set_json('other', tests.webhook('{"event": "payment.authorized", "payload": {}}'));
END
$$;

SELECT is(
    tests.json('captured'),
    '{"status": "processed", "event_id": "evt_cap_1", "event": "payment.captured",
      "outcome": "captured"}'::jsonb,
    'payment.captured: processed, captured'
);
SELECT is(
    (tests.order_row(tests.id('a_order'))).status, 'confirmed', 'the order is confirmed by the gateway'
);
SELECT is(
    tests.json('duplicate'),
    '{"status": "duplicate", "event_id": "evt_cap_1", "event": "payment.captured",
      "outcome": "captured"}'::jsonb,
    'the same event id again: a duplicate'
);
SELECT is(
    tests.json('failed_late') ->> 'outcome', 'failed_after_capture', 'payment.failed after the capture'
);
SELECT is(
    (
        (tests.order_row(tests.id('a_order'))).status, (tests.payment_row(tests.id('a_order'))).status,
        tests.on_hand(tests.id('a_product'))
    )::text,
    '(confirmed,captured,1)', 'changes nothing: still confirmed, captured, sold once'
);
SELECT is(
    tests.attempts(tests.id('a_order')), ARRAY['initiate:created', 'webhook:captured', 'webhook:failed'],
    'the late failure is recorded as an attempt'
);
SELECT is(tests.json('mismatch') ->> 'outcome', 'amount_mismatch', 'a capture in another currency');
SELECT is(
    ((tests.order_row(tests.id('m_order'))).status, tests.attempts(tests.id('m_order')))::text,
    '(pending_payment,"{initiate:created,webhook:rejected}")', 'is rejected, the order left unpaid'
);
SELECT is(tests.json('late') ->> 'outcome', 'late_capture_refunded', 'a capture for a cancelled order');
SELECT is(
    (
        tests.refunds_of(tests.id('c_order')),
        tests.event_payloads(tests.id('c_order'), 'refund.requested') #>> '{0,amount}'
    )::text,
    '({120000:pending},120000)',
    'is refunded in full, a refund.requested event for it in the outbox'
);
SELECT is(
    ARRAY[tests.json('unknown') ->> 'outcome', tests.json('other') ->> 'outcome'],
    ARRAY['unknown_payment', 'ignored'], 'unknown payments and other events are ignored'
);
SELECT is(
    (
        SELECT array_agg(e.outcome ORDER BY e.received_at, e.event_id) FROM store.webhook_events AS e
        WHERE e.event_id = 'evt_cap_1'
    ),
    ARRAY['captured'], 'each event is recorded once, with its outcome'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
