-- attach_gateway_refund: records the gateway's id (rfnd_...) of a refund it accepted, so that
-- its refund.processed / refund.failed webhook finds it. Called by the after hooks
-- (app/hooks.py, send_refunds) once the gateway answered; the refund stays pending until the
-- webhook. Does nothing when the refund already has an id (a retried hook).
-- Locks: the refund row (the update).
CREATE FUNCTION api.attach_gateway_refund(
    p_user_id bigint, p_refund_id bigint, p_gateway_refund_id text
)
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
    UPDATE store.refunds
    SET gateway_refund_id = p_gateway_refund_id
    WHERE user_id = p_user_id AND id = p_refund_id AND gateway_refund_id IS NULL
$$;
