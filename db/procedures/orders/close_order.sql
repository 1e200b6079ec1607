-- close_order: ends an order that will not be fulfilled: cancelled (customer or staff),
-- expired or payment_failed (the sweeper; a capture that came too late), or returned (staff: a
-- shipped cash-on-delivery parcel the customer did not take, back at the warehouse). What it
-- undoes:
--   - stock: an unpaid order's reservations are released (release_inventory); the sold units
--     of a confirmed, packed or returned order go back on hand (restore_inventory);
--   - money: whatever was captured and not yet refunded is refunded in full (create_refund,
--     a pending refund, which the refunds consumer sends to the gateway);
--   - the coupon use is given back (rollback_coupon);
--   - a cash-on-delivery order that was confirmed (so invoiced) gets a credit note for its whole
--     total (issue_credit_note); an online order's credit notes follow its refunds instead;
--   - the status moves through transition_order (history recorded).
-- Internal. Locks, in the global order: the order row, the payment row, the inventory rows by
-- product id, the reservations, the coupon use and the coupon row, (cash on delivery) the
-- credit note counter row.
-- Raises: JK404 order_not_found, JK409 order_not_cancellable (shipped or later, or already
-- closed; returned: not shipped), JK409 invalid_status_transition (the actor may not make that
-- move, or a return of an online order).
-- Returns the refund made (all fields NULL when nothing was to be refunded).
CREATE FUNCTION internal.close_order(
    p_user_id bigint,
    p_order_id bigint,
    p_to text,
    p_actor text,
    p_actor_user_id bigint,
    p_reason text
)
RETURNS store.refunds
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_order store.orders := internal.lock_order(p_user_id, p_order_id);
    v_sold constant boolean := v_order.status IN ('confirmed', 'packed', 'shipped');
    v_refund store.refunds;
BEGIN
    IF p_to = 'returned' AND v_order.status <> 'shipped' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'order_not_cancellable',
            DETAIL = format('Order %s is %s; only a shipped order can come back', p_order_id, v_order.status);
    ELSIF p_to <> 'returned' AND v_order.status NOT IN ('pending_payment', 'confirmed', 'packed') THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'order_not_cancellable',
            DETAIL = format('Order %s is %s; only unpaid, confirmed or packed orders can be cancelled',
                p_order_id, v_order.status);
    END IF;

    IF EXISTS (
        SELECT FROM store.payments AS p
        WHERE p.user_id = p_user_id AND p.order_id = p_order_id
            AND p.amount_captured > p.amount_refunded
    ) THEN
        v_refund := internal.create_refund(
            p_user_id, p_order_id, NULL,
            left(format('Order %s', p_to) || coalesce(': ' || p_reason, ''), 500), v_sold
        );
    END IF;
    IF v_sold THEN
        PERFORM internal.restore_inventory(p_user_id, p_order_id);
    ELSE
        PERFORM internal.release_inventory(p_user_id, p_order_id);
    END IF;
    PERFORM internal.rollback_coupon(p_user_id, p_order_id);
    IF v_sold AND v_order.payment_method = 'cod' THEN
        PERFORM internal.issue_credit_note(p_user_id, p_order_id, v_order.total, NULL);
    END IF;
    PERFORM internal.transition_order(p_user_id, p_order_id, p_to, p_actor, p_actor_user_id, p_reason);
    RETURN v_refund;
END
$$;
