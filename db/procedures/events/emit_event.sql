-- emit_event: writes an event to the outbox (store.outbox_events) in the caller's transaction,
-- so it is published exactly when the change it announces commits. The request's trace context
-- comes from the setting jiokidz.traceparent, which app/db.py sets for the transaction when
-- tracing is on. p_user_id places the row with the user's other rows (docs/scaling.md); a
-- login code, which may have no user yet, passes 0.
-- Internal. Locks nothing (an insert).
CREATE FUNCTION internal.emit_event(
    p_topic text, p_user_id bigint, p_order_id bigint, p_payload jsonb
)
RETURNS void
LANGUAGE sql
VOLATILE
AS $$
    INSERT INTO store.outbox_events (topic, user_id, order_id, payload, traceparent)
    VALUES (
        p_topic, p_user_id, p_order_id, p_payload,
        nullif(current_setting('jiokidz.traceparent', TRUE), '')
    )
$$;
