-- mark_outbox_published: the events RabbitMQ has confirmed are published. A login code leaves
-- the row here: once the message is in the broker, the database keeps only the code's keyed
-- hash (store.otp_verifications).
-- Worker (app/relay.py). Locks the rows it marks.
-- Returns {"published": rows marked now (an id already marked is not counted)}.
CREATE FUNCTION api.mark_outbox_published(p_ids bigint[])
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE store.outbox_events AS e
    SET published_at = now(),
        payload = CASE WHEN e.topic = 'otp.requested' THEN e.payload - 'code' ELSE e.payload END
    WHERE e.id = ANY(p_ids) AND e.published_at IS NULL;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN jsonb_build_object('published', v_count);
END
$$;
