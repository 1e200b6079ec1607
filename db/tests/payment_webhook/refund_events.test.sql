-- payment_webhook with refund events (settle_refund): refund.processed makes the refund
-- processed and moves the order to partially_refunded, then refunded when processed refunds
-- reach the capture; refund.failed gives the amount back and leaves the order's status; a
-- refund already final changes nothing; an unknown refund id is ignored, unless a refund of
-- that payment has not got its gateway id yet: then JK409 refund_not_ready, nothing recorded,
-- so that the gateway delivers the event again.
BEGIN;

SELECT plan(10);

DO $$
DECLARE
    v_user bigint;
BEGIN
    PERFORM tests.make_paid_order();
    v_user := tests.id('user');
    PERFORM tests.set_id('r1', (api.initiate_refund(v_user, tests.id('order'), 'Part', 20000) ->> 'id')::bigint);
    PERFORM api.attach_gateway_refund(v_user, tests.id('r1'), 'rfnd_RefundEvent0001');
    PERFORM tests.set_id('r2', (api.initiate_refund(v_user, tests.id('order'), 'Part', 30000) ->> 'id')::bigint);
    PERFORM api.attach_gateway_refund(v_user, tests.id('r2'), 'rfnd_RefundEvent0002');
    PERFORM tests.set_id('r3', (api.initiate_refund(v_user, tests.id('order'), 'Rest') ->> 'id')::bigint);
END
$$;

SELECT is(
    tests.webhook(
        tests.refund_event(
            'refund.processed', 'rfnd_RefundEvent0001', tests.value('gateway_payment_id'), 20000
        )
    )
    ->> 'outcome',
    'refund_processed', 'refund.processed'
);
SELECT
    is(
        (tests.order_row(tests.id('order'))).status,
        'partially_refunded',
        'part of the capture: partially_refunded'
    );
SELECT is(
    tests.webhook(
        tests.refund_event('refund.failed', 'rfnd_RefundEvent0002', tests.value('gateway_payment_id'), 30000)
    )
    ->> 'outcome',
    'refund_failed', 'refund.failed'
);
SELECT is(
    ((tests.payment_row(tests.id('order'))).amount_refunded, tests.refunds_of(tests.id('order')))::text,
    '(90000,"{20000:processed,30000:failed,70000:pending}")', 'its amount is given back'
);
SELECT is(
    tests.webhook(
        tests.refund_event(
            'refund.processed', 'rfnd_RefundEvent0002', tests.value('gateway_payment_id'), 30000
        )
    )
    ->> 'outcome',
    'refund_already_final', 'a failed refund stays failed'
);
SELECT is(
    tests.error_of(format(
        'SELECT tests.webhook(%L::jsonb)',
        tests.refund_event(
            'refund.processed', 'rfnd_NotAttached0001', tests.value('gateway_payment_id'), 70000
        )
    ))
    ->> 'message',
    'refund_not_ready', 'an event for a refund still waiting for its gateway id: delivered again later'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.webhook_events AS e
        WHERE e.payload::text LIKE '%rfnd_NotAttached0001%'
    ),
    0, 'and not recorded, so the redelivery is not a duplicate'
);
SELECT api.attach_gateway_refund(tests.id('user'), tests.id('r3'), 'rfnd_NotAttached0001');
SELECT is(
    tests.webhook(
        tests.refund_event(
            'refund.processed', 'rfnd_NotAttached0001', tests.value('gateway_payment_id'), 70000
        )
    )
    ->> 'outcome',
    'refund_processed', 'redelivered once the id is stored, it is processed'
);
SELECT is(
    (tests.order_row(tests.id('order'))).status, 'partially_refunded',
    '90000 of 120000 processed: still partially refunded'
);
SELECT is(
    tests.webhook(tests.refund_event('refund.processed', 'rfnd_Stranger000001', 'pay_Stranger0000001', 100))
    ->> 'outcome',
    'unknown_refund', 'a refund that is not ours is ignored'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
