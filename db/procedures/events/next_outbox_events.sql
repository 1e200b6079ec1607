-- next_outbox_events: the relay's next batch, the oldest unpublished events first (at most
-- p_limit, 1 to 1000): [{"id", "topic", "order_id", "payload", "traceparent", "created_at"}].
-- The relay holds a session advisory lock so that one relay publishes at a time, in id order,
-- hence in order per order: two events of one order come from transactions that serialize on
-- the order row, so the later one has the larger id and is never visible without the earlier.
-- Worker (app/relay.py). Locks nothing. Raises: JK422 validation_error (p_limit).
CREATE FUNCTION api.next_outbox_events(p_limit integer)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', DETAIL = 'p_limit must be 1 to 1000';
    END IF;
    RETURN coalesce((
        SELECT jsonb_agg(jsonb_build_object(
            'id', e.id, 'topic', e.topic, 'order_id', e.order_id, 'payload', e.payload,
            'traceparent', e.traceparent, 'created_at', e.created_at
        ) ORDER BY e.id)
        FROM (
            SELECT * FROM store.outbox_events AS o
            WHERE o.published_at IS NULL
            ORDER BY o.id
            LIMIT p_limit
        ) AS e
    ), '[]'::jsonb);
END
$$;
