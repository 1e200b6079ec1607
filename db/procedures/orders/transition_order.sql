-- transition_order: moves an order to another status, the one way any order status changes.
-- Checks the move against order_transitions for this actor and the order's payment method,
-- sets the status (and cancel_reason for a cancellation) and records the move in
-- store.order_status_history.
-- Every move emits an order event (emit_order_event): order.paid for an online order's
-- pending_payment to confirmed, order.<status> for the others (a cash-on-delivery order is
-- order.confirmed when placed and paid at order.cod_collected).
-- The move pending_payment -> confirmed (a captured payment, a cash-on-delivery order's
-- confirmation) also issues the order's tax invoice (issue_invoice).
-- Internal: the callers decide what else the move means (stock, coupon, refunds).
-- Locks: the order row FOR UPDATE (callers usually hold it already); on confirmation, the
-- invoice counter row of the financial year (issue_invoice), held to the commit.
-- Raises: JK404 order_not_found, JK409 invalid_status_transition (not in the table for this
-- actor; the detail says who could make it, if anyone).
CREATE FUNCTION internal.transition_order(
    p_user_id bigint,
    p_order_id bigint,
    p_to text,
    p_actor text,
    p_actor_user_id bigint,
    p_reason text
)
RETURNS store.orders
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_order store.orders;
    v_allowed text[];
    v_from text;
BEGIN
    v_order := internal.lock_order(p_user_id, p_order_id);
    v_from := v_order.status;
    SELECT array_agg(t.actor ORDER BY t.actor) INTO v_allowed
    FROM internal.order_transitions() AS t
    WHERE t.from_status = v_order.status AND t.to_status = p_to
        AND coalesce(t.payment_method, v_order.payment_method) = v_order.payment_method;
    IF NOT p_actor = ANY(coalesce(v_allowed, '{}')) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'invalid_status_transition',
            DETAIL = format('Order %s cannot go from %s to %s', p_order_id, v_order.status, p_to)
                || CASE WHEN v_allowed IS NOT NULL
                    THEN format(' (only %s can make that change)', array_to_string(v_allowed, ' or '))
                    ELSE '' END;
    END IF;

    INSERT INTO store.order_status_history (
        user_id, order_id, from_status, to_status, actor, actor_user_id, reason
    )
    VALUES (p_user_id, p_order_id, v_order.status, p_to, p_actor, p_actor_user_id, p_reason);
    UPDATE store.orders AS o
    SET status = p_to, updated_at = now(),
        cancel_reason = CASE WHEN p_to = 'cancelled' THEN p_reason ELSE o.cancel_reason END
    WHERE o.user_id = p_user_id AND o.id = p_order_id
    RETURNING o.* INTO v_order;
    IF v_from = 'pending_payment' AND p_to = 'confirmed' THEN
        PERFORM internal.issue_invoice(p_user_id, p_order_id);
    END IF;
    PERFORM internal.emit_order_event(v_order, CASE
        WHEN p_to = 'confirmed' AND v_from = 'pending_payment' AND v_order.payment_method = 'online'
            THEN 'order.paid'
        ELSE 'order.' || p_to
    END);
    RETURN v_order;
END
$$;
