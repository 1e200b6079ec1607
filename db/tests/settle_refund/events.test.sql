-- settle_refund emits one refund.settled when it makes a pending refund final, for the
-- customer's notification: {"refund_id", "user_id", "order_id", "amount", "status", "phone"},
-- status processed or failed; before the order's own move (order.partially_refunded,
-- order.refunded) when there is one. A refund already final emits nothing. Reached through
-- the gateway's webhook, fail_gateway_refund and settle_refund itself.
BEGIN;

SELECT plan(5);

DO $$
DECLARE
    v_user bigint;
BEGIN
    PERFORM tests.make_paid_order();
    v_user := tests.id('user');
    PERFORM tests.set_id('a', (api.initiate_refund(v_user, tests.id('order'), 'A', 20000) ->> 'id')::bigint);
    PERFORM tests.set_id('b', (api.initiate_refund(v_user, tests.id('order'), 'B', 30000) ->> 'id')::bigint);
    PERFORM tests.set_id('c', (api.initiate_refund(v_user, tests.id('order'), 'C') ->> 'id')::bigint);
    PERFORM api.attach_gateway_refund(v_user, tests.id('a'), 'rfnd_SettleEvent0001');
    PERFORM tests.webhook(tests.refund_event(
        'refund.processed', 'rfnd_SettleEvent0001', tests.value('gateway_payment_id'), 20000
    ));
    PERFORM api.fail_gateway_refund(v_user, tests.id('b'));
    PERFORM api.fail_gateway_refund(v_user, tests.id('b'));
    PERFORM internal.settle_refund(v_user, tests.id('a'), 'failed');
END
$$;

SELECT is(
    tests.refund_events(tests.id('a'), 'refund.settled'),
    jsonb_build_array(jsonb_build_object(
        'refund_id', tests.id('a'), 'user_id', tests.id('user'), 'order_id', tests.id('order'),
        'amount', 20000, 'status', 'processed',
        'phone', (
            SELECT u.phone FROM store.users AS u
            WHERE u.id = tests.id('user')
        )
    )),
    'a processed refund: one refund.settled, processed, with the buyer''s phone'
);
SELECT is(
    tests.refund_events(tests.id('b'), 'refund.settled') -> 0 ->> 'status', 'failed',
    'a refund the gateway refused: refund.settled, failed'
);
SELECT is(
    tests.order_events(tests.id('order')),
    ARRAY[
        'order.placed', 'order.paid', 'refund.requested', 'refund.requested', 'refund.requested',
        'refund.settled', 'order.partially_refunded', 'refund.settled'
    ],
    'one refund.settled each, the processed one before the order''s move; none when already final'
);
SELECT is(
    (
        internal.settle_refund(tests.id('user'), tests.id('c'), 'processed'),
        tests.refund_events(tests.id('c'), 'refund.settled') -> 0 ->> 'amount',
        (tests.order_events(tests.id('order')))[9:]
    )::text,
    '(refund_processed,70000,{refund.settled})',
    'a refund settled while the order stays partially refunded: refund.settled alone'
);

DO $$
BEGIN
    -- What the failed refund gave back, refunded again and processed: the capture is refunded.
    PERFORM tests.set_id('d', (api.initiate_refund(tests.id('user'), tests.id('order'), 'D') ->> 'id')::bigint);
    PERFORM internal.settle_refund(tests.id('user'), tests.id('d'), 'processed');
END
$$;

SELECT is(
    (
        (tests.order_events(tests.id('order')))[10:],
        tests.event_payloads(tests.id('order'), 'order.refunded') -> 0 ->> 'status'
    )::text,
    '("{refund.requested,refund.settled,order.refunded}",refunded)',
    'the last refund settled: its refund.settled, then order.refunded with the order as refunded'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
