-- update_order_status: PATCH /admin/orders/{id}/status, for staff (users.is_staff) only. Moves
-- any user's order along the state machine as staff (order_transitions): packed, shipped,
-- delivered, and for cash on delivery cod_collected (the courier paid the cash over);
-- cancelled is a full cancellation and returned (a cash-on-delivery parcel the customer did not
-- take) ends a shipped order the same way (close_order: stock back, coupon back, refund of
-- anything captured). The other statuses are reached by payments, refunds and the sweeper only.
-- Audited as order.status (internal.audit) with the order row before and after, and the reason.
-- Locks: the order row (then as close_order for a cancellation or a return).
-- Raises: JK401 unauthorized, JK403 forbidden (not staff), JK422 validation_error (reason over
-- 500 characters), JK404 order_not_found, JK409 invalid_status_transition,
-- JK409 order_not_cancellable.
-- Returns order_detail (a refund in it pending, as cancel_order).
CREATE FUNCTION api.update_order_status(
    p_user_id bigint, p_order_id bigint, p_status text, p_reason text DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_reason text;
    v_owner_id bigint;
    v_before store.orders;
    v_after store.orders;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    v_reason := internal.check_text(p_reason, 'reason', 500, p_required => FALSE);
    v_owner_id := (internal.find_any_order(p_order_id)).user_id;

    v_before := internal.lock_order(v_owner_id, p_order_id);
    IF p_status IN ('cancelled', 'returned') THEN
        PERFORM internal.close_order(v_owner_id, p_order_id, p_status, 'staff', p_user_id, v_reason);
    ELSE
        PERFORM internal.transition_order(v_owner_id, p_order_id, p_status, 'staff', p_user_id, v_reason);
    END IF;
    v_after := internal.lock_order(v_owner_id, p_order_id);
    PERFORM internal.audit(
        p_user_id, 'order.status', 'order', p_order_id, to_jsonb(v_before), to_jsonb(v_after),
        v_reason, v_owner_id
    );
    RETURN internal.order_detail(v_after);
END
$$;
