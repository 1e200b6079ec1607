-- next_outbox_events: the relay's next batch, the oldest unpublished events first (id order),
-- at most p_limit, each {"id", "topic", "order_id", "payload", "traceparent", "created_at"};
-- published events are never listed; an empty queue is []; p_limit outside 1..1000 (or NULL)
-- raises JK422 validation_error. The events already in the database are marked published
-- first (rolled back with the test), so the queue holds this test's alone.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.publish_all();
    PERFORM tests.set_json('empty', api.next_outbox_events(10));
    PERFORM tests.set_id('first', tests.make_event('test.first', NULL, '{"n": 1}'));
    PERFORM tests.make_event('test.published', NULL, '{"n": 0}', p_published_at => now());
    PERFORM tests.set_id('second', tests.make_event('test.second', 42, '{"n": 2}'));
    UPDATE store.outbox_events SET traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    WHERE id = tests.id('second');
    PERFORM tests.set_id('third', tests.make_event('test.third', NULL, '{"n": 3}'));
END
$$;

SELECT is(tests.json('empty'), '[]'::jsonb, 'an empty queue: []');
SELECT is(
    (
        SELECT array_agg((e.value ->> 'id')::bigint)
        FROM jsonb_array_elements(api.next_outbox_events(1000)) AS e
    ),
    tests.ids(ARRAY['first', 'second', 'third']),
    'every unpublished event, oldest first; the published one is left out'
);
SELECT is(
    (SELECT array_agg((e.value ->> 'id')::bigint) FROM jsonb_array_elements(api.next_outbox_events(2)) AS e),
    tests.ids(ARRAY['first', 'second']),
    'at most p_limit, the oldest'
);
SELECT is(
    api.next_outbox_events(2) -> 1,
    jsonb_build_object(
        'id', tests.id('second'), 'topic', 'test.second', 'order_id', 42, 'payload', '{"n": 2}'::jsonb,
        'traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'created_at', (tests.event_row(tests.id('second'))).created_at
    ),
    'each event with its id, topic, order, payload, trace context and time'
);
SELECT is(
    api.next_outbox_events(1) -> 0 -> 'traceparent', 'null'::jsonb,
    'an event written without a trace context: null'
);
SELECT is(
    jsonb_array_length(api.next_outbox_events(1)), 1, 'p_limit 1: one event'
);
SELECT throws_ok(
    'SELECT api.next_outbox_events(0)', 'JK422', 'validation_error', 'p_limit 0 is refused'
);
SELECT throws_ok(
    'SELECT api.next_outbox_events(1001)', 'JK422', 'validation_error', 'p_limit over 1000 is refused'
);
SELECT throws_ok(
    'SELECT api.next_outbox_events(NULL)', 'JK422', 'validation_error', 'no p_limit is refused'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
