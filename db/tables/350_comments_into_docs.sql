-- Comments that named documents outside the repository now name docs/. Applied files never
-- change (db/migrate.py), so the new text is set here. webhook_events.payload also says how
-- a signed body holding \u0000 is stored.
COMMENT ON COLUMN store.orders.status IS
'Order state; the graph is in update_order_status (docs/api.md "Order statuses" lists them).';
COMMENT ON COLUMN store.webhook_events.outcome IS
'What the event did (captured, amount_mismatch, late_capture_refunded, ...); see docs/api.md "Webhooks".';
COMMENT ON COLUMN store.webhook_events.payload IS
'The event body as received, parsed; a \u0000 escape in it is stored as U+FFFD (jsonb cannot hold NUL).';
