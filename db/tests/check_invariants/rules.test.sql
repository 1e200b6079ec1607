-- check_invariants: empty while the store is consistent, and each rule fires when its
-- invariant is broken by hand (every breakage is undone before the next, see
-- tests.rules_broken_by).
BEGIN;

SELECT plan(13);

DO $$
BEGIN
    PERFORM tests.make_paid_order('p_');
    PERFORM tests.make_unpaid_order('u_');
    PERFORM tests.start_payment(tests.id('u_user'), tests.id('u_order'));
    PERFORM tests.set_id('coupon', tests.make_coupon());
END
$$;

SELECT is(tests.broken_rules(), '{}'::text[], 'a consistent store breaks no rule');

SELECT is(
    tests.rules_broken_by(format(
        'UPDATE store.orders SET subtotal = subtotal + 100, total = total + 100 WHERE id = %s',
        tests.id('u_order')
    )),
    ARRAY['order_tax_adds_up', 'payment_amount_is_order_total'],
    'a payment asking another amount than its order''s total (whose lines no longer add up to it)'
);
SELECT is(
    tests.rules_broken_by(format(
        'UPDATE store.orders SET subtotal = subtotal + 100, total = total + 100 WHERE id = %s',
        tests.id('p_order')
    )),
    ARRAY['captured_equals_paid_totals', 'order_tax_adds_up', 'payment_amount_is_order_total'],
    'a capture that does not add up to the paid orders'' totals'
);
SELECT is(
    tests.rules_broken_by(format(
        $$INSERT INTO store.payment_attempts (user_id, payment_id, source, status, amount, currency)
          SELECT user_id, id, 'webhook', 'captured', amount, currency FROM store.payments WHERE order_id = %s$$,
        tests.id('p_order')
    )),
    ARRAY['captured_once'], 'a second capture of one order'
);
SELECT is(
    tests.rules_broken_by(format(
        $$INSERT INTO store.order_status_history (user_id, order_id, from_status, to_status, actor)
          VALUES (%s, %s, 'pending_payment', 'confirmed', 'gateway')$$, tests.id('p_user'), tests.id('p_order')
    )),
    ARRAY['captured_once'], 'an order confirmed twice'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.orders SET status = 'delivered' WHERE id = %s$$, tests.id('u_order')
    )),
    ARRAY['closed_orders_hold_no_stock', 'paid_status_needs_capture'], 'a delivered order nobody paid for'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.orders SET status = 'pending_payment' WHERE id = %s$$, tests.id('p_order')
    )),
    ARRAY['capture_moves_unpaid_order'], 'a captured payment on an order still pending'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.orders SET status = 'cancelled' WHERE id = %s$$, tests.id('p_order')
    )),
    ARRAY['closed_orders_refunded'], 'a paid order cancelled without its refund'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.payments SET amount_refunded = 500 WHERE order_id = %s$$, tests.id('p_order')
    )),
    ARRAY['refunds_match_payment'], 'amount_refunded without the refunds to match'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.orders SET status = 'refunded' WHERE id = %s$$, tests.id('p_order')
    )),
    ARRAY['refund_status_matches'], 'refunded before any refund was processed'
);
SELECT is(
    tests.rules_broken_by(format(
        'UPDATE store.inventory SET on_hand = 1 WHERE product_id = %s', tests.id('u_product')
    )),
    ARRAY['stock_never_negative'], 'more units reserved than on hand'
);
SELECT is(
    tests.rules_broken_by(format(
        'UPDATE store.coupons SET used_count = used_count + 1 WHERE id = %s', tests.id('coupon')
    )),
    ARRAY['coupon_uses_counted'], 'a coupon use counted without its redemption'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.orders SET status = 'cancelled' WHERE id = %s$$, tests.id('u_order')
    )),
    ARRAY['closed_orders_hold_no_stock'], 'a closed order still holding stock'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
