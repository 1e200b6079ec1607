-- cancel_order: POST /orders/{id}/cancel. The customer cancels an order not yet shipped
-- (close_order): unpaid, its reservation is released; confirmed or packed, its sold units go
-- back on hand and the captured amount is refunded in full. The coupon use is given back
-- either way.
-- Locks: as close_order (the order row first).
-- Raises: JK401 unauthorized, JK422 validation_error (reason over 500 characters), JK404
-- order_not_found (unknown or another user's), JK409 order_not_cancellable (shipped, delivered
-- or already closed).
-- Returns order_detail; a refund shows in it as pending (the refunds consumer sends it to the
-- gateway).
CREATE FUNCTION api.cancel_order(p_user_id bigint, p_order_id bigint, p_reason text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_reason text;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_reason := internal.check_text(p_reason, 'reason', 500, p_required => FALSE);
    PERFORM internal.close_order(p_user_id, p_order_id, 'cancelled', 'customer', p_user_id, v_reason);
    RETURN internal.order_detail(internal.lock_order(p_user_id, p_order_id));
END
$$;
