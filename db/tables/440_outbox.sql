-- The transactional outbox (docs/dba.md "Events"): a procedure that changes an order's life, a
-- refund or sends a login code writes an event row in its own transaction, so an event exists
-- exactly when its change committed. The relay (app/relay.py) publishes unpublished rows to
-- RabbitMQ in id order and marks them; consumers (app/consumers.py) record what they handled.
CREATE TABLE store.outbox_events (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    topic text NOT NULL,
    order_id bigint,
    payload jsonb NOT NULL,
    traceparent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    PRIMARY KEY (user_id, id),
    CONSTRAINT outbox_events_topic_format CHECK (topic ~ '^[a-z]+\.[a-z_]+$'),
    CONSTRAINT outbox_events_payload_is_object CHECK (jsonb_typeof(payload) = 'object')
);

-- The relay's queue: only the unpublished rows, in id order; small, since rows leave it as soon
-- as RabbitMQ confirms them.
CREATE INDEX outbox_events_unpublished ON store.outbox_events (id) WHERE published_at IS NULL;
-- The sweeper's weekly cut: rows are appended in time order, so a BRIN index finds the old
-- ones for almost no upkeep on the write path.
CREATE INDEX outbox_events_created_at ON store.outbox_events USING brin (created_at);

COMMENT ON TABLE store.outbox_events IS
'Events written in the transaction of the change they announce, published by the relay. '
'Sharding: distributed by user_id with store.users.';
COMMENT ON COLUMN store.outbox_events.user_id IS
'The user the event concerns, so it is written on that user''s shard; 0 for a login code, '
'whose phone may have no user yet.';
COMMENT ON COLUMN store.outbox_events.id IS
'Event id, increasing: the relay publishes in this order (so in order per order), and it is '
'the message id consumers deduplicate on.';
COMMENT ON COLUMN store.outbox_events.topic IS
'RabbitMQ routing key: order.placed, order.paid, order.<status>, refund.requested, '
'refund.settled, otp.requested.';
COMMENT ON COLUMN store.outbox_events.order_id IS 'The order the event concerns; NULL for login codes.';
COMMENT ON COLUMN store.outbox_events.payload IS
'The message body. An otp.requested event carries the code until it is published; '
'mark_outbox_published removes it.';
COMMENT ON COLUMN store.outbox_events.traceparent IS
'W3C trace context of the request that wrote the event, continued by the relay; NULL with tracing off.';
COMMENT ON COLUMN store.outbox_events.created_at IS 'When the writing transaction started.';
COMMENT ON COLUMN store.outbox_events.published_at IS
'When RabbitMQ confirmed it; NULL while unpublished. The sweeper deletes rows published a week ago.';

-- What each consumer has handled, so a redelivered message is acknowledged, not handled twice.
CREATE TABLE store.processed_messages (
    consumer text NOT NULL,
    event_id bigint NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer),
    CONSTRAINT processed_messages_consumer_format CHECK (consumer ~ '^[a-z_]{1,40}$')
);

COMMENT ON TABLE store.processed_messages IS
'Messages each consumer has handled (its processed-message record). Sharding: distributed by event_id.';
COMMENT ON COLUMN store.processed_messages.consumer IS 'refunds, otp_sms or notifications.';
COMMENT ON COLUMN store.processed_messages.event_id IS 'store.outbox_events.id of the message.';
COMMENT ON COLUMN store.processed_messages.processed_at IS
'When it was handled. The sweeper deletes records a week old.';

-- A refund is sent to the gateway by the refunds consumer; the sweeper sends again one whose
-- event is long gone without a gateway id (a message dead-lettered, or a refund from before
-- the outbox).
ALTER TABLE store.refunds ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
COMMENT ON COLUMN store.refunds.queued_at IS
'When its refund.requested event was last written; the sweeper writes another after 15 minutes '
'without a gateway id.';
CREATE INDEX refunds_unsent ON store.refunds (queued_at)
WHERE status = 'pending' AND gateway_refund_id IS NULL;
