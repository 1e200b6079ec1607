-- The constraints and indexes of the outbox tables (db/tables/440), proven by behaviour as
-- constraints.test.sql does: a valid row is accepted, the same row with one thing wrong is
-- refused with the SQLSTATE of the constraint. The relay's queue and the sweeper's requeue
-- read partial indexes that hold only the rows they look for.
BEGIN;

SELECT plan(13);

SELECT lives_ok(
    $$INSERT INTO store.outbox_events (user_id, topic, order_id, payload)
    VALUES (0, 'order.partially_refunded', 1, '{}')$$,
    'outbox_events: a topic <area>.<event> and an object payload are accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.outbox_events (user_id, topic, payload) VALUES (0, 'Order.Placed', '{}')$$,
    '23514', NULL, 'outbox_events: a topic in capitals is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.outbox_events (user_id, topic, payload) VALUES (0, 'order', '{}')$$,
    '23514', NULL, 'outbox_events: a topic without its event is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.outbox_events (user_id, topic, payload) VALUES (0, 'order.placed.again', '{}')$$,
    '23514', NULL, 'outbox_events: a topic of three parts is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.outbox_events (user_id, topic, payload) VALUES (0, 'order.placed', '[1]')$$,
    '23514', NULL, 'outbox_events: a payload that is not an object is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.outbox_events (user_id, topic, payload) VALUES (0, 'order.placed', NULL)$$,
    '23502', NULL, 'outbox_events: an event without a payload is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.outbox_events (user_id, id, topic, payload) VALUES (0, 1, 'order.placed', '{}')$$,
    '428C9', NULL, 'outbox_events: ids are the database''s to give (the relay''s order)'
);

SELECT lives_ok(
    $$INSERT INTO store.processed_messages (consumer, event_id) VALUES ('otp_sms', 900000001)$$,
    'processed_messages: a consumer''s record is accepted'
);
SELECT throws_ok(
    $$INSERT INTO store.processed_messages (consumer, event_id) VALUES ('otp_sms', 900000001)$$,
    '23505', NULL, 'processed_messages: the same consumer and event twice is refused'
);
SELECT throws_ok(
    $$INSERT INTO store.processed_messages (consumer, event_id) VALUES ('', 900000001)$$,
    '23514', NULL, 'processed_messages: an empty consumer name is refused'
);
SELECT throws_ok(
    format(
        'INSERT INTO store.processed_messages (consumer, event_id) VALUES (%L, 900000001)', repeat('a', 41)
    ),
    '23514', NULL, 'processed_messages: a consumer name over 40 characters is refused'
);

SELECT is(
    (
        SELECT array_agg(pg_get_indexdef(i.indexrelid) ORDER BY c.relname)
        FROM pg_catalog.pg_index AS i
        INNER JOIN pg_catalog.pg_class AS c ON i.indexrelid = c.oid
        WHERE
            c.relname IN ('outbox_events_unpublished', 'refunds_unsent')
            AND c.relnamespace = 'store'::regnamespace
    ),
    ARRAY[
        'CREATE INDEX outbox_events_unpublished ON store.outbox_events USING btree (id) '
        || 'WHERE (published_at IS NULL)',
        'CREATE INDEX refunds_unsent ON store.refunds USING btree (queued_at) '
        || 'WHERE ((status = ''pending''::text) AND (gateway_refund_id IS NULL))'
    ],
    'the relay''s queue and the unsent refunds have partial indexes of exactly those rows'
);
SELECT is(
    (
        SELECT a.attnotnull AND pg_get_expr(d.adbin, d.adrelid) = 'now()'
        FROM pg_catalog.pg_attribute AS a
        INNER JOIN pg_catalog.pg_attrdef AS d ON a.attrelid = d.adrelid AND a.attnum = d.adnum
        WHERE a.attrelid = 'store.refunds'::regclass AND a.attname = 'queued_at'
    ),
    TRUE, 'refunds.queued_at is NOT NULL, now() by default (existing refunds are queued as of the migration)'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
