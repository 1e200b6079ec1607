-- fail_gateway_refund: the gateway refused a refund outright when the refunds consumer sent it
-- (a 4xx answer, not an outage): the refund becomes failed and its amount is given back
-- (settle_refund), so the remainder can be refunded again with POST /refunds.
-- Worker (app/consumers.py). Locks: as settle_refund (order row, payment row, refund row).
-- Returns {"outcome": settle_refund's outcome}.
CREATE FUNCTION api.fail_gateway_refund(p_user_id bigint, p_refund_id bigint)
RETURNS jsonb
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
    SELECT jsonb_build_object('outcome', internal.settle_refund(p_user_id, p_refund_id, 'failed'))
$$;
