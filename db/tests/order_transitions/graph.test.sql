-- order_transitions: the state machine of docs/api.md. Checked as a whole: exactly the moves listed
-- there, nothing leaves a final status, nothing returns to pending_payment, and every status
-- but pending_payment can be reached. Cash on delivery has its own moves: confirmed by the system
-- when placed, collected or returned by staff, never through the gateway.
BEGIN;

SELECT plan(9);

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
        ('delivered', 'refunded'), ('partially_refunded', 'refunded'),
        ('shipped', 'returned'), ('delivered', 'cod_collected')$$,
    'exactly the moves of the state machine'
);
SELECT is_empty(
    $$SELECT * FROM internal.order_transitions()
      WHERE from_status IN ('cancelled', 'expired', 'payment_failed', 'refunded', 'cod_collected', 'returned')$$,
    'cancelled, expired, payment_failed, refunded, cod_collected and returned are final'
);
SELECT is_empty(
    $$SELECT * FROM internal.order_transitions() WHERE to_status = 'pending_payment'$$,
    'nothing goes back to pending_payment'
);
SELECT set_eq(
    $$SELECT DISTINCT actor FROM internal.order_transitions()
      WHERE to_status IN ('confirmed', 'partially_refunded', 'refunded') AND payment_method = 'online'$$,
    $$VALUES ('customer'), ('gateway')$$,
    'only payments confirm an online order and only the gateway''s refund events refund'
);
SELECT set_eq(
    $$SELECT from_status, to_status, actor FROM internal.order_transitions() WHERE payment_method = 'cod'$$,
    $$VALUES ('pending_payment', 'confirmed', 'system'), ('shipped', 'returned', 'staff'),
        ('delivered', 'cod_collected', 'staff')$$,
    'cash on delivery: confirmed by the system when placed, returned or collected by staff'
);
SELECT is_empty(
    $$SELECT * FROM internal.order_transitions()
      WHERE payment_method = 'cod' AND to_status IN ('refunded', 'partially_refunded', 'expired', 'payment_failed')$$,
    'a cash-on-delivery order is never refunded through the gateway, nor expires unpaid'
);
SELECT is_empty(
    $$SELECT * FROM internal.order_transitions() WHERE payment_method IS DISTINCT FROM 'cod'
      AND to_status IN ('returned', 'cod_collected')$$,
    'returned and cod_collected are for cash on delivery only'
);
SELECT is_empty(
    $$SELECT * FROM internal.order_transitions() WHERE payment_method NOT IN ('online', 'cod')$$,
    'every move is for online, cod or (NULL) both'
);
SELECT set_eq(
    $$SELECT DISTINCT actor FROM internal.order_transitions()
      WHERE to_status IN ('packed', 'shipped', 'delivered')$$,
    $$VALUES ('staff')$$,
    'only staff pack, ship and deliver'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
