-- message_processed: whether a consumer has already handled an event (its processed-message
-- record, written by record_processed): a redelivered message is then acknowledged unhandled.
-- Worker (app/consumers.py). Locks nothing.
-- Returns {"processed": true | false}.
CREATE FUNCTION api.message_processed(p_consumer text, p_event_id bigint)
RETURNS jsonb
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
    SELECT jsonb_build_object('processed', EXISTS (
        SELECT FROM store.processed_messages AS m
        WHERE m.event_id = p_event_id AND m.consumer = p_consumer
    ))
$$;
