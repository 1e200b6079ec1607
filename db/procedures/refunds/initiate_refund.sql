-- initiate_refund: POST /refunds. Refunds all (no amount) or part of what was captured for one
-- of the user's orders (create_refund: the sum of refunds never exceeds the capture, also under
-- concurrency). With restock, the order's sold units go back on hand (goods returned or never
-- shipped). The refund is pending until the gateway's refund.processed or refund.failed
-- webhook; the order becomes partially_refunded or refunded when refunds are processed
-- (settle_refund). Idempotency-Key: a replay returns the first answer.
-- Once the order has shipped (internal.order_has_shipped: shipped, delivered, partly refunded
-- after that), the refund is a request instead (internal.request_refund): status requested,
-- nothing reserved or sent until staff approve it (api.admin_approve_refund) or reject it.
-- Locks: the order row, then as create_refund (payment row, inventory rows).
-- Raises: JK401 unauthorized, JK409 idempotency_key_in_use, JK422 idempotency_key_reused,
-- JK422 validation_error (reason blank or over 500 characters, amount below 1), JK404
-- order_not_found (unknown or another user's), JK409 order_not_refundable (unpaid, or refunded
-- in full), JK422 refund_amount_exceeds_paid, JK409 refund_already_requested (a request of
-- the order is waiting for staff).
-- Returns refund_body, status pending (the refunds consumer sends it to the gateway) or
-- requested.
CREATE FUNCTION api.initiate_refund(
    p_user_id bigint,
    p_order_id bigint,
    p_reason text,
    p_amount bigint DEFAULT NULL,
    p_restock boolean DEFAULT FALSE,
    p_idempotency_key text DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_reason text;
    v_request jsonb;
    v_replay jsonb;
    v_refund store.refunds;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_reason := internal.check_text(p_reason, 'reason', 500);
    v_request := jsonb_build_object(
        'order_id', p_order_id, 'amount', p_amount, 'reason', v_reason,
        'restock', coalesce(p_restock, FALSE)
    );
    v_replay := internal.idempotent_replay(p_user_id, 'initiate_refund', p_idempotency_key, v_request);
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;

    PERFORM internal.lock_order(p_user_id, p_order_id);
    IF internal.order_has_shipped(p_user_id, p_order_id) THEN
        v_refund := internal.request_refund(
            p_user_id, p_order_id, p_amount, v_reason, coalesce(p_restock, FALSE)
        );
    ELSE
        v_refund := internal.create_refund(
            p_user_id, p_order_id, p_amount, v_reason, coalesce(p_restock, FALSE)
        );
    END IF;
    RETURN internal.remember_response(
        p_user_id, 'initiate_refund', p_idempotency_key, v_request, internal.refund_body(v_refund)
    );
END
$$;
