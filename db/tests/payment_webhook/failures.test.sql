-- payment.failed before any capture: the payment becomes failed with the gateway's error, the
-- order stays pending_payment so the customer can try again, and a later capture still works.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order();
    PERFORM tests.set_value('gw', tests.start_payment(tests.id('user'), tests.id('order')));
    PERFORM tests.set_json('failed', tests.webhook(
        tests.payment_event('payment.failed', tests.value('gw'), 'pay_FailTest0000001', 120000)));
END
$$;

SELECT is(tests.json('failed') ->> 'outcome', 'payment_failed', 'payment.failed');
SELECT is(
    ((tests.order_row(tests.id('order'))).status, (tests.payment_row(tests.id('order'))).status)::text,
    '(pending_payment,failed)', 'the payment failed, the order is still payable'
);
SELECT is(
    (
        SELECT row(a.error_code, a.error_description)::text FROM store.payment_attempts AS a
        WHERE a.payment_id = (tests.payment_row(tests.id('order'))).id AND a.status = 'failed'
    ),
    '(BAD_REQUEST_ERROR,"Payment declined")', 'with the gateway''s error'
);
SELECT is(
    tests.webhook(tests.payment_event('payment.captured', tests.value('gw'), 'pay_FailTest0000002', 120000))
    ->> 'outcome',
    'captured', 'the next try is captured'
);
SELECT is((tests.order_row(tests.id('order'))).status, 'confirmed', 'and confirms the order');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
