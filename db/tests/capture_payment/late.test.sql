-- A capture after the payment window: honoured while the units are still there (the order is
-- confirmed); when the lapsed reservation's units were sold to someone else, nothing is sold,
-- the order expires (coupon given back) and the capture is refunded in full. An order already
-- expired by the sweeper stays expired and is refunded.
BEGIN;

SELECT plan(8);

DO $$
DECLARE
    v_capture record;
BEGIN
    -- Lapsed, units still free.
    PERFORM tests.make_unpaid_order('free_', p_quantity => 1, p_stock => 1);
    PERFORM tests.start_payment(tests.id('free_user'), tests.id('free_order'));
    PERFORM tests.age_reservations(tests.id('free_user'), tests.id('free_order'), interval '20 minutes');
    SELECT * INTO v_capture FROM internal.capture_payment(tests.id('free_user'),
        (tests.payment_row(tests.id('free_order'))).id, 'pay_LateTest0000001', 60000, 'INR', 'webhook', NULL);
    PERFORM tests.set_value('free_outcome', v_capture.o_outcome);

    -- Lapsed, the unit reserved by another buyer since.
    PERFORM tests.set_id('coupon', tests.make_coupon(p_discount_value => 100));
    PERFORM tests.set_id('taken_user', tests.make_user());
    PERFORM tests.set_id('taken_product', tests.make_product(p_price => 60000, p_stock => 1));
    PERFORM tests.set_id('taken_order', tests.place_order(tests.id('taken_user'), ARRAY[tests.id('taken_product')],
        ARRAY[1], tests.coupon_code(tests.id('coupon')::integer)));
    PERFORM tests.start_payment(tests.id('taken_user'), tests.id('taken_order'));
    PERFORM tests.age_reservations(tests.id('taken_user'), tests.id('taken_order'), interval '20 minutes');
    PERFORM tests.make_reservation(tests.id('taken_product'), 1);
    SELECT * INTO v_capture FROM internal.capture_payment(tests.id('taken_user'),
        (tests.payment_row(tests.id('taken_order'))).id, 'pay_LateTest0000002', 59900, 'INR', 'webhook', NULL);
    PERFORM tests.set_value('taken_outcome', v_capture.o_outcome);

    -- Expired by the sweeper first.
    PERFORM tests.make_unpaid_order('swept_');
    PERFORM tests.start_payment(tests.id('swept_user'), tests.id('swept_order'));
    UPDATE store.orders SET payment_due_at = now() - interval '1 second' WHERE id = tests.id('swept_order');
    PERFORM internal.expire_unpaid_orders();
    SELECT * INTO v_capture FROM internal.capture_payment(tests.id('swept_user'),
        (tests.payment_row(tests.id('swept_order'))).id, 'pay_LateTest0000003', 120000, 'INR', 'webhook', NULL);
    PERFORM tests.set_value('swept_outcome', v_capture.o_outcome);
END
$$;

SELECT is(tests.value('free_outcome'), 'captured', 'lapsed but the units are there: captured');
SELECT is((tests.order_row(tests.id('free_order'))).status, 'confirmed', 'and confirmed');
SELECT
    is(
        tests.value('taken_outcome'), 'late_capture_refunded', 'lapsed and the units sold meanwhile: refunded'
    );
SELECT is(
    (
        (tests.order_row(tests.id('taken_order'))).status, tests.on_hand(tests.id('taken_product')),
        internal.available_stock(tests.id('taken_product'))
    )::text,
    '(expired,1,0)', 'the order expires, nothing is sold, the other buyer keeps the unit'
);
SELECT is(tests.refunds_of(tests.id('taken_order')), ARRAY['59900:pending'], 'the whole capture is refunded');
SELECT is(tests.used_count(tests.id('coupon')::integer), 0, 'and the coupon use given back');
SELECT is(
    (
        tests.value('swept_outcome'), (tests.order_row(tests.id('swept_order'))).status,
        tests.refunds_of(tests.id('swept_order'))
    )::text,
    '(late_capture_refunded,expired,{120000:pending})',
    'an order the sweeper expired stays expired and is refunded'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
