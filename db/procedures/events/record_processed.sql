-- record_processed: a consumer has handled an event; recorded once (a second record of the same
-- message changes nothing).
-- Worker (app/consumers.py). Locks the record's key.
-- Returns {"recorded": true, or false when it was recorded already}.
CREATE FUNCTION api.record_processed(p_consumer text, p_event_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_count integer;
BEGIN
    INSERT INTO store.processed_messages (consumer, event_id)
    VALUES (p_consumer, p_event_id)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN jsonb_build_object('recorded', v_count = 1);
END
$$;
