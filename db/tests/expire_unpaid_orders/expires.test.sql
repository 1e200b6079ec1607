-- expire_unpaid_orders (the sweeper, through api.sweep): unpaid orders past payment_due_at
-- close as expired, or payment_failed when their last payment attempt failed; their stock and
-- coupon come back; orders inside their window and paid orders are left alone.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order('late_');
    PERFORM tests.make_unpaid_order('failed_');
    PERFORM tests.start_payment(tests.id('failed_user'), tests.id('failed_order'));
    UPDATE store.payments SET status = 'failed' WHERE order_id = tests.id('failed_order');
    PERFORM tests.make_unpaid_order('fresh_');
    PERFORM tests.make_paid_order('paid_');
    PERFORM tests.set_id('coupon', tests.make_coupon());
    PERFORM tests.make_unpaid_order('coupon_', p_user_id => tests.make_user());
    UPDATE store.orders SET payment_due_at = now() - interval '1 second'
    WHERE id = ANY(tests.ids(ARRAY['late_order', 'failed_order', 'paid_order']));
    UPDATE store.inventory_locks SET expires_at = now() - interval '1 second'
    WHERE order_id = ANY(tests.ids(ARRAY['late_order', 'failed_order']));
    PERFORM tests.set_json('swept', api.sweep());
END
$$;

SELECT is((tests.json('swept') ->> 'orders_expired')::integer, 2, 'two orders closed');
SELECT is((tests.order_row(tests.id('late_order'))).status, 'expired', 'unpaid past its window: expired');
SELECT
    is(
        (tests.order_row(tests.id('failed_order'))).status,
        'payment_failed',
        'after a failed attempt: payment_failed'
    );
SELECT
    is(
        tests.order_history(tests.id('late_order')),
        ARRAY['pending_payment>expired:system'],
        'recorded as the system''s'
    );
SELECT is(internal.available_stock(tests.id('late_product')), 3, 'its stock is available again');
SELECT is(
    (tests.reservation(tests.id('late_user'), tests.id('late_order'), tests.id('late_product'))).status,
    'released', 'and its reservation released'
);
SELECT
    is(
        (tests.order_row(tests.id('fresh_order'))).status,
        'pending_payment',
        'an order inside its window stays'
    );
SELECT is((tests.order_row(tests.id('paid_order'))).status, 'confirmed', 'a paid order stays');
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
