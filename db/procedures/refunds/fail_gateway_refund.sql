-- fail_gateway_refund: the gateway refused a refund when it was sent (GatewayError in the after
-- hook): the refund becomes failed and its amount is given back (settle_refund), and an
-- Idempotency-Key answer stored for the POST /refunds that made it is deleted, since that
-- request fails (502) and a retry with the same key must try again. The remainder can then be
-- refunded again with POST /refunds.
-- Locks: as settle_refund (order row, payment row, refund row).
-- Returns settle_refund's outcome.
CREATE FUNCTION api.fail_gateway_refund(p_user_id bigint, p_refund_id bigint)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_outcome text := internal.settle_refund(p_user_id, p_refund_id, 'failed');
BEGIN
    DELETE FROM store.idempotency_keys AS k
    WHERE k.user_id = p_user_id AND k.scope = 'initiate_refund'
        AND (k.response ->> 'id')::bigint = p_refund_id;
    RETURN v_outcome;
END
$$;
