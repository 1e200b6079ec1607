-- admin_approve_refund: POST /admin/refunds/{id}/approve. A customer's refund request becomes
-- a refund like any other: internal.create_refund checks its amount again against what remains
-- refundable now, reserves it under the payment row lock, restocks when the customer said the
-- goods come back, and writes its refund.requested event, so the refunds consumer sends it to
-- the gateway; it is pending until the gateway settles it, and the order then becomes
-- partially_refunded or refunded. The staff member and the time are kept on the refund;
-- audited as refund.approve with the refund row before and after, and the note when given.
-- Locks: the order row (lock_order), then as create_refund (payment row, inventory rows,
-- the refund row). Raises: JK401 unauthorized, JK403 forbidden, JK422 validation_error (note
-- over 500 characters), JK404 refund_not_found, JK409 refund_not_requested (not a request
-- waiting: approved or rejected already, or never a request), JK409 order_not_refundable and
-- JK422 refund_amount_exceeds_paid (other refunds took what it asks meanwhile: reject it).
-- Returns internal.admin_refund_body.
CREATE FUNCTION api.admin_approve_refund(p_user_id bigint, p_refund_id bigint, p_note text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_note text;
    v_before store.refunds;
    v_after store.refunds;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    v_note := internal.check_text(p_note, 'note', 500, p_required => FALSE);
    v_before := internal.find_refund(p_refund_id);
    PERFORM internal.lock_order(v_before.user_id, v_before.order_id);
    -- A request is decided only under its order row: read under it, its status is settled.
    v_before := internal.find_refund(p_refund_id);
    IF v_before.status <> 'requested' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'refund_not_requested',
            DETAIL = format('Refund %s is %s, not a request waiting for staff', p_refund_id, v_before.status);
    END IF;
    PERFORM internal.create_refund(
        v_before.user_id, v_before.order_id, v_before.amount, v_before.reason, v_before.restock,
        p_request_id => v_before.id
    );
    UPDATE store.refunds AS r
    SET decided_by = p_user_id, decided_at = now()
    WHERE r.user_id = v_before.user_id AND r.id = v_before.id
    RETURNING r.* INTO v_after;
    PERFORM internal.audit(
        p_user_id, 'refund.approve', 'refund', v_after.id, to_jsonb(v_before), to_jsonb(v_after),
        v_note, v_after.user_id
    );
    RETURN internal.admin_refund_body(v_after);
END
$$;
