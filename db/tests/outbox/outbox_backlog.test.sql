-- outbox_backlog: what the relay has yet to publish, {"unpublished": count, "lag_seconds": age
-- of the oldest unpublished event}; {0, 0} when the queue is empty. Published events, however
-- old, count for neither. The events already in the database are marked published first
-- (rolled back with the test).
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.publish_all();
    PERFORM tests.set_json('empty', api.outbox_backlog());
    PERFORM tests.make_event(p_created_at => now() - interval '3 days', p_published_at => now());
    PERFORM tests.make_event(p_created_at => now() - interval '90 seconds');
    PERFORM tests.make_event();
    PERFORM tests.set_json('backlog', api.outbox_backlog());
END
$$;

SELECT is(tests.json('empty'), '{"unpublished": 0, "lag_seconds": 0}'::jsonb, 'an empty queue: 0 and 0');
SELECT is(
    (tests.json('backlog') ->> 'unpublished')::integer, 2, 'the unpublished events are counted'
);
SELECT cmp_ok(
    (tests.json('backlog') ->> 'lag_seconds')::numeric, '>=', 90::numeric,
    'the lag is the age of the oldest unpublished event'
);
SELECT cmp_ok(
    (tests.json('backlog') ->> 'lag_seconds')::numeric,
    '<',
    90 + extract(EPOCH FROM clock_timestamp() - now()) + 1,
    'not of the older published one'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
