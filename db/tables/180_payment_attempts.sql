-- Every try at paying, and every gateway event about it, as it happened.
CREATE TABLE store.payment_attempts (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    payment_id bigint NOT NULL,
    gateway_payment_id text,
    source text NOT NULL,
    status text NOT NULL,
    amount bigint,
    currency text,
    event_id text,
    error_code text,
    error_description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, payment_id) REFERENCES store.payments (user_id, id),
    CONSTRAINT payment_attempts_event_id_key UNIQUE (event_id),
    CONSTRAINT payment_attempts_source_valid CHECK (source IN ('initiate', 'verify', 'webhook')),
    CONSTRAINT payment_attempts_status_valid CHECK (
        status IN ('created', 'captured', 'failed', 'rejected')
    ),
    CONSTRAINT payment_attempts_amount_non_negative CHECK (amount >= 0)
);

CREATE INDEX payment_attempts_payment ON store.payment_attempts (user_id, payment_id);
CREATE INDEX payment_attempts_gateway_payment_id ON store.payment_attempts (gateway_payment_id);

COMMENT ON TABLE store.payment_attempts IS
'History of a payment: initiations, client verifications and webhook events (deduplicated).';
COMMENT ON COLUMN store.payment_attempts.user_id IS 'Payer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.payment_attempts.id IS 'Attempt id.';
COMMENT ON COLUMN store.payment_attempts.payment_id IS 'The payment.';
COMMENT ON COLUMN store.payment_attempts.gateway_payment_id IS 'Gateway payment id (pay_...).';
COMMENT ON COLUMN store.payment_attempts.source IS 'initiate, verify (client callback) or webhook.';
COMMENT ON COLUMN store.payment_attempts.status IS
'created, captured, failed, or rejected (bad amount or currency).';
COMMENT ON COLUMN store.payment_attempts.amount IS 'Amount the gateway reported, in paise.';
COMMENT ON COLUMN store.payment_attempts.currency IS 'Currency the gateway reported.';
COMMENT ON COLUMN store.payment_attempts.event_id IS
'Webhook event id (X-Razorpay-Event-Id); unique, so a duplicate delivery is a no-op.';
COMMENT ON COLUMN store.payment_attempts.error_code IS 'Gateway error code of a failure.';
COMMENT ON COLUMN store.payment_attempts.error_description IS 'Gateway error text of a failure.';
COMMENT ON COLUMN store.payment_attempts.created_at IS 'When it was recorded.';
