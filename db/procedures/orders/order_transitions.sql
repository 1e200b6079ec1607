-- order_transitions: the order state machine (docs/api.md "Order statuses"), one row per allowed
-- move and per actor who may make it. The one table of transitions: transition_order refuses
-- anything else, and docs/payments.md draws it.
--   customer  the buyer (verify_payment, cancel_order)
--   staff     a user with is_staff (PATCH /admin/orders/{id}/status)
--   system    the sweeper, and a capture that finds the order's stock sold meanwhile
--   gateway   a payment or refund webhook
-- Statuses only move forward: nothing leads back to pending_payment or out of cancelled,
-- expired, payment_failed or refunded.
CREATE FUNCTION internal.order_transitions()
RETURNS TABLE (from_status text, to_status text, actor text)
LANGUAGE sql
IMMUTABLE
AS $$
    VALUES
        ('pending_payment', 'confirmed', 'customer'),
        ('pending_payment', 'confirmed', 'gateway'),
        ('pending_payment', 'cancelled', 'customer'),
        ('pending_payment', 'cancelled', 'staff'),
        ('pending_payment', 'expired', 'system'),
        ('pending_payment', 'payment_failed', 'system'),
        ('confirmed', 'packed', 'staff'),
        ('confirmed', 'cancelled', 'customer'),
        ('confirmed', 'cancelled', 'staff'),
        ('packed', 'shipped', 'staff'),
        ('packed', 'cancelled', 'customer'),
        ('packed', 'cancelled', 'staff'),
        ('shipped', 'delivered', 'staff'),
        ('confirmed', 'partially_refunded', 'gateway'),
        ('packed', 'partially_refunded', 'gateway'),
        ('shipped', 'partially_refunded', 'gateway'),
        ('delivered', 'partially_refunded', 'gateway'),
        ('confirmed', 'refunded', 'gateway'),
        ('packed', 'refunded', 'gateway'),
        ('shipped', 'refunded', 'gateway'),
        ('delivered', 'refunded', 'gateway'),
        ('partially_refunded', 'refunded', 'gateway')
$$;
