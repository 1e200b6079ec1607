-- refund_to_send: what the refunds consumer must ask of the payment gateway for a refund, read
-- from the rows, not from the message: {"send": true, "gateway_payment_id", "amount"} while the
-- refund is pending without a gateway refund id; {"send": false} once the gateway has it or
-- it is final (a redelivered or replayed message then sends nothing). The consumer sends it
-- with the idempotency key jk-refund-<id>, so a send repeated after a crash is made once.
-- Worker (app/consumers.py). Locks nothing.
CREATE FUNCTION api.refund_to_send(p_user_id bigint, p_refund_id bigint)
RETURNS jsonb
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
    SELECT coalesce((
        SELECT jsonb_build_object(
            'send', TRUE, 'gateway_payment_id', p.gateway_payment_id, 'amount', r.amount
        )
        FROM store.refunds AS r
        INNER JOIN store.payments AS p ON p.user_id = r.user_id AND p.id = r.payment_id
        WHERE r.user_id = p_user_id AND r.id = p_refund_id
            AND r.status = 'pending' AND r.gateway_refund_id IS NULL
    ), '{"send": false}'::jsonb)
$$;
