-- capture_payment, each outcome: captured (unpaid order sold and confirmed), already_captured
-- (nothing again), second_payment and amount_mismatch (a rejected attempt, nothing else),
-- late_capture_refunded (a cancelled order stays cancelled, sells nothing, is refunded in full).
BEGIN;

SELECT plan(12);

DO $$
DECLARE
    v_capture record;
BEGIN
    PERFORM tests.make_unpaid_order('a_');
    PERFORM tests.start_payment(tests.id('a_user'), tests.id('a_order'));
    SELECT * INTO v_capture FROM internal.capture_payment(
        tests.id('a_user'), (tests.payment_row(tests.id('a_order'))).id, 'pay_CaptureTest0001', 120000, 'INR', 'webhook', 'evt_1'
    );
    PERFORM tests.set_value('a_outcome', v_capture.o_outcome);
    SELECT * INTO v_capture FROM internal.capture_payment(
        tests.id('a_user'), (tests.payment_row(tests.id('a_order'))).id, 'pay_CaptureTest0001', 120000, 'INR', 'verify', NULL
    );
    PERFORM tests.set_value('a_again', v_capture.o_outcome);
    SELECT * INTO v_capture FROM internal.capture_payment(
        tests.id('a_user'), (tests.payment_row(tests.id('a_order'))).id, 'pay_CaptureTest0002', 120000, 'INR', 'webhook', 'evt_2'
    );
    PERFORM tests.set_value('a_second', v_capture.o_outcome);

    PERFORM tests.make_unpaid_order('m_');
    PERFORM tests.start_payment(tests.id('m_user'), tests.id('m_order'));
    SELECT * INTO v_capture FROM internal.capture_payment(
        tests.id('m_user'), (tests.payment_row(tests.id('m_order'))).id, 'pay_CaptureTest0003', 119999, 'INR', 'webhook', 'evt_3'
    );
    PERFORM tests.set_value('m_outcome', v_capture.o_outcome);

    PERFORM tests.make_unpaid_order('c_');
    PERFORM tests.start_payment(tests.id('c_user'), tests.id('c_order'));
    PERFORM api.cancel_order(tests.id('c_user'), tests.id('c_order'));
    SELECT * INTO v_capture FROM internal.capture_payment(
        tests.id('c_user'), (tests.payment_row(tests.id('c_order'))).id, 'pay_CaptureTest0004', 120000, 'INR', 'webhook', 'evt_4'
    );
    PERFORM tests.set_value('c_outcome', v_capture.o_outcome);
    PERFORM tests.set_id('c_refund', (v_capture.o_refund).id);
END
$$;

SELECT is(tests.value('a_outcome'), 'captured', 'an unpaid order: captured');
SELECT is(
    ((tests.order_row(tests.id('a_order'))).status, tests.on_hand(tests.id('a_product')))::text,
    '(confirmed,1)', 'confirmed and sold'
);
SELECT is(tests.value('a_again'), 'already_captured', 'the same capture again: nothing');
SELECT is(tests.value('a_second'), 'second_payment', 'another payment id for a paid order: second_payment');
SELECT is(
    tests.attempts(tests.id('a_order')), ARRAY['initiate:created', 'webhook:captured', 'webhook:rejected'],
    'one capture, the second payment rejected, the repeat not recorded'
);
SELECT
    is(
        (tests.payment_row(tests.id('a_order'))).gateway_payment_id,
        'pay_CaptureTest0001',
        'the first payment id stays'
    );

SELECT is(tests.value('m_outcome'), 'amount_mismatch', 'a different amount: amount_mismatch');
SELECT is(
    (
        (tests.order_row(tests.id('m_order'))).status, (tests.payment_row(tests.id('m_order'))).status,
        tests.on_hand(tests.id('m_product'))
    )::text,
    '(pending_payment,created,3)', 'the order, the payment and the stock are unchanged'
);

SELECT is(tests.value('c_outcome'), 'late_capture_refunded', 'a cancelled order: refunded');
SELECT is(
    (
        (tests.order_row(tests.id('c_order'))).status,
        (tests.payment_row(tests.id('c_order'))).amount_captured,
        (tests.payment_row(tests.id('c_order'))).amount_refunded, tests.on_hand(tests.id('c_product'))
    )::text,
    '(cancelled,120000,120000,3)', 'it stays cancelled, the capture is recorded and refunded, nothing sold'
);
SELECT is(
    (
        SELECT r.status FROM store.refunds AS r
        WHERE r.id = tests.id('c_refund')
    ), 'pending',
    'the refund waits for the gateway'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
