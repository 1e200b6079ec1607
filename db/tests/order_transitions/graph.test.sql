-- order_transitions: the state machine of docs/api.md. Checked as a whole: exactly the moves listed
-- there, nothing leaves a final status, nothing returns to pending_payment, and every status
-- but pending_payment can be reached.
BEGIN;

SELECT plan(5);

SELECT set_eq(
    $$SELECT DISTINCT from_status, to_status FROM internal.order_transitions()$$,
    $$VALUES
        ('pending_payment', 'confirmed'), ('pending_payment', 'cancelled'),
        ('pending_payment', 'expired'), ('pending_payment', 'payment_failed'),
        ('confirmed', 'packed'), ('confirmed', 'cancelled'), ('packed', 'shipped'),
        ('packed', 'cancelled'), ('shipped', 'delivered'),
        ('confirmed', 'partially_refunded'), ('packed', 'partially_refunded'),
        ('shipped', 'partially_refunded'), ('delivered', 'partially_refunded'),
        ('confirmed', 'refunded'), ('packed', 'refunded'), ('shipped', 'refunded'),
        ('delivered', 'refunded'), ('partially_refunded', 'refunded')$$,
    'exactly the moves of the state machine'
);
SELECT is_empty(
    $$SELECT * FROM internal.order_transitions()
      WHERE from_status IN ('cancelled', 'expired', 'payment_failed', 'refunded')$$,
    'cancelled, expired, payment_failed and refunded are final'
);
SELECT is_empty(
    $$SELECT * FROM internal.order_transitions() WHERE to_status = 'pending_payment'$$,
    'nothing goes back to pending_payment'
);
SELECT set_eq(
    $$SELECT DISTINCT actor FROM internal.order_transitions()
      WHERE to_status IN ('confirmed', 'partially_refunded', 'refunded')$$,
    $$VALUES ('customer'), ('gateway')$$,
    'only payments confirm and only the gateway''s refund events refund'
);
SELECT set_eq(
    $$SELECT DISTINCT actor FROM internal.order_transitions()
      WHERE to_status IN ('packed', 'shipped', 'delivered')$$,
    $$VALUES ('staff')$$,
    'only staff pack, ship and deliver'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
