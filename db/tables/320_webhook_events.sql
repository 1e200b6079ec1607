-- Razorpay webhook deliveries with a valid signature, one row per event id: a redelivered event
-- finds its row and changes nothing. Not user-owned: an event may concern no order of ours.
CREATE TABLE store.webhook_events (
    event_id text PRIMARY KEY,
    event_type text NOT NULL,
    outcome text NOT NULL,
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_events_event_id_length CHECK (char_length(event_id) BETWEEN 1 AND 100),
    CONSTRAINT webhook_events_outcome_valid CHECK (outcome IN (
        'captured', 'already_captured', 'late_capture_refunded', 'amount_mismatch',
        'second_payment', 'payment_failed', 'failed_after_capture', 'refund_processed',
        'refund_failed', 'refund_already_final', 'unknown_payment', 'unknown_refund', 'ignored'
    ))
);

COMMENT ON TABLE store.webhook_events IS
'Webhook events received (signature checked), deduplicated by event id, with what they did.';
COMMENT ON COLUMN store.webhook_events.event_id IS
'X-Razorpay-Event-Id (or body:<sha256 of the body> when the header is missing).';
COMMENT ON COLUMN store.webhook_events.event_type IS
'payment.captured, payment.failed, refund.processed, refund.failed...';
COMMENT ON COLUMN store.webhook_events.outcome IS
'What the event did (captured, amount_mismatch, late_capture_refunded, ...); see README "Webhooks".';
COMMENT ON COLUMN store.webhook_events.payload IS 'The event body as received, parsed.';
COMMENT ON COLUMN store.webhook_events.received_at IS 'When it was first received.';
