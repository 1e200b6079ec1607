-- outbox_backlog: what the relay has yet to publish, for its metrics and for operators:
-- {"unpublished": count, "lag_seconds": age of the oldest unpublished event, 0 when none}.
-- Worker (app/relay.py). Locks nothing; reads the partial index outbox_events_unpublished.
CREATE FUNCTION api.outbox_backlog()
RETURNS jsonb
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
    SELECT jsonb_build_object(
        'unpublished', count(*),
        'lag_seconds', coalesce(extract(EPOCH FROM clock_timestamp() - min(e.created_at)), 0)
    )
    FROM store.outbox_events AS e
    WHERE e.published_at IS NULL
$$;
