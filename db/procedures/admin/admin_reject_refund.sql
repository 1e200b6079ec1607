-- admin_reject_refund: POST /admin/refunds/{id}/reject. A customer's refund request is turned
-- down with a reason the customer sees (the refund's rejection_reason): nothing was reserved or
-- sent, so nothing is given back; the order's status does not move, and the customer may ask
-- again. The staff member and the time are kept on the refund; audited as refund.reject with
-- the refund row before and after, and the reason.
-- Locks: the order row (lock_order), then the refund row. Raises: JK401 unauthorized, JK403
-- forbidden, JK422 validation_error (reason blank or over 500 characters), JK404
-- refund_not_found, JK409 refund_not_requested (approved or rejected already, or never a
-- request).
-- Returns internal.admin_refund_body.
CREATE FUNCTION api.admin_reject_refund(p_user_id bigint, p_refund_id bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_reason text;
    v_before store.refunds;
    v_after store.refunds;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    v_reason := internal.check_text(p_reason, 'reason', 500);
    v_before := internal.find_refund(p_refund_id);
    PERFORM internal.lock_order(v_before.user_id, v_before.order_id);
    -- A request is decided only under its order row: read under it, its status is settled.
    v_before := internal.find_refund(p_refund_id);
    IF v_before.status <> 'requested' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'refund_not_requested',
            DETAIL = format('Refund %s is %s, not a request waiting for staff', p_refund_id, v_before.status);
    END IF;
    UPDATE store.refunds AS r
    SET status = 'rejected', rejection_reason = v_reason, decided_by = p_user_id, decided_at = now()
    WHERE r.user_id = v_before.user_id AND r.id = v_before.id
    RETURNING r.* INTO v_after;
    PERFORM internal.audit(
        p_user_id, 'refund.reject', 'refund', v_after.id, to_jsonb(v_before), to_jsonb(v_after),
        v_reason, v_after.user_id
    );
    RETURN internal.admin_refund_body(v_after);
END
$$;
