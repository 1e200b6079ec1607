-- attach_gateway_refund: records the gateway's id (rfnd_...) of a refund it accepted, so that
-- its refund.processed / refund.failed webhook finds it. Called by the refunds consumer
-- (app/consumers.py) once the gateway answered; the refund stays pending until the webhook.
-- Does nothing when the refund already has an id (a redelivered message).
-- Worker. Locks: the refund row (the update).
-- Returns {"attached": true, or false when it had an id already}.
CREATE FUNCTION api.attach_gateway_refund(
    p_user_id bigint, p_refund_id bigint, p_gateway_refund_id text
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE store.refunds
    SET gateway_refund_id = p_gateway_refund_id
    WHERE user_id = p_user_id AND id = p_refund_id AND gateway_refund_id IS NULL;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN jsonb_build_object('attached', v_count = 1);
END
$$;
