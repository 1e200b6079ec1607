-- Idempotency-Key of POST /orders, /payments/initiate and /refunds (API.md): the first
-- successful answer per user, endpoint and key, replayed for 24 hours.
CREATE TABLE store.idempotency_keys (
    user_id bigint NOT NULL REFERENCES store.users (id) ON DELETE CASCADE,
    scope text NOT NULL,
    key text NOT NULL,
    request jsonb NOT NULL,
    response jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, scope, key),
    CONSTRAINT idempotency_keys_scope_valid CHECK (
        scope IN ('create_order', 'initiate_payment', 'initiate_refund')
    ),
    CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
    CONSTRAINT idempotency_keys_request_is_object CHECK (jsonb_typeof(request) = 'object'),
    CONSTRAINT idempotency_keys_response_is_object CHECK (jsonb_typeof(response) = 'object')
);

-- The sweeper deletes keys older than 24 hours.
CREATE INDEX idempotency_keys_created_at ON store.idempotency_keys (created_at);

COMMENT ON TABLE store.idempotency_keys IS
'Answers stored under an Idempotency-Key: the same key from the same user on the same '
'endpoint within 24 h replays them.';
COMMENT ON COLUMN store.idempotency_keys.user_id IS 'Who sent the key; keys are scoped per user.';
COMMENT ON COLUMN store.idempotency_keys.scope IS
'The endpoint: create_order, initiate_payment or initiate_refund.';
COMMENT ON COLUMN store.idempotency_keys.key IS 'The Idempotency-Key header, 1-255 characters.';
COMMENT ON COLUMN store.idempotency_keys.request IS
'The request''s arguments; the same key with other arguments answers 422 idempotency_key_reused.';
COMMENT ON COLUMN store.idempotency_keys.response IS
'The success answer replayed (only successes are stored).';
COMMENT ON COLUMN store.idempotency_keys.created_at IS
'When the first request succeeded; replayed for 24 h after.';
