-- order_transitions: the order state machine (docs/api.md "Order statuses"), one row per allowed
-- move, per actor who may make it, and per way of paying it applies to. The one table of
-- transitions: transition_order refuses anything else, and docs/payments.md draws it.
--   customer  the buyer (verify_payment, cancel_order)
--   staff     a user with is_staff (PATCH /admin/orders/{id}/status)
--   system    the sweeper, a capture that finds the order's stock sold meanwhile, and
--             create_order confirming a cash-on-delivery order
--   gateway   a payment or refund webhook
-- payment_method: online (paid through the gateway before it is confirmed), cod (cash on
-- delivery: confirmed when placed, paid to the courier, collected afterwards) or NULL (both).
-- Statuses only move forward: nothing leads back to pending_payment or out of cancelled,
-- expired, payment_failed, refunded, cod_collected or returned.
CREATE FUNCTION internal.order_transitions()
RETURNS TABLE (from_status text, to_status text, actor text, payment_method text)
LANGUAGE sql
IMMUTABLE
AS $$
    VALUES
        ('pending_payment', 'confirmed', 'customer', 'online'),
        ('pending_payment', 'confirmed', 'gateway', 'online'),
        ('pending_payment', 'confirmed', 'system', 'cod'),
        ('pending_payment', 'cancelled', 'customer', 'online'),
        ('pending_payment', 'cancelled', 'staff', 'online'),
        ('pending_payment', 'expired', 'system', 'online'),
        ('pending_payment', 'payment_failed', 'system', 'online'),
        ('confirmed', 'packed', 'staff', NULL),
        ('confirmed', 'cancelled', 'customer', NULL),
        ('confirmed', 'cancelled', 'staff', NULL),
        ('packed', 'shipped', 'staff', NULL),
        ('packed', 'cancelled', 'customer', NULL),
        ('packed', 'cancelled', 'staff', NULL),
        ('shipped', 'delivered', 'staff', NULL),
        ('shipped', 'returned', 'staff', 'cod'),
        ('delivered', 'cod_collected', 'staff', 'cod'),
        ('confirmed', 'partially_refunded', 'gateway', 'online'),
        ('packed', 'partially_refunded', 'gateway', 'online'),
        ('shipped', 'partially_refunded', 'gateway', 'online'),
        ('delivered', 'partially_refunded', 'gateway', 'online'),
        ('confirmed', 'refunded', 'gateway', 'online'),
        ('packed', 'refunded', 'gateway', 'online'),
        ('shipped', 'refunded', 'gateway', 'online'),
        ('delivered', 'refunded', 'gateway', 'online'),
        ('partially_refunded', 'refunded', 'gateway', 'online')
$$;
