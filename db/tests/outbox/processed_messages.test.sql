-- message_processed and record_processed, a consumer's processed-message record: an event is
-- unprocessed until recorded; it is recorded once ({"recorded": true}, then false, one row), so
-- a redelivered message is seen as handled; each consumer keeps its own record of the same
-- event. A consumer name outside [a-z_]{1,40} is refused (23514).
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.set_id('event', tests.make_event());
    PERFORM tests.set_json('before', api.message_processed('refunds', tests.id('event')));
    PERFORM tests.set_json('first', api.record_processed('refunds', tests.id('event')));
    PERFORM tests.set_json('second', api.record_processed('refunds', tests.id('event')));
END
$$;

SELECT is(tests.json('before'), '{"processed": false}'::jsonb, 'not processed before it is recorded');
SELECT is(
    tests.json('first') || jsonb_build_object('second', tests.json('second')),
    '{"recorded": true, "second": {"recorded": false}}'::jsonb,
    'recorded the first time, not the second'
);
SELECT is(
    api.message_processed('refunds', tests.id('event')), '{"processed": true}'::jsonb,
    'then processed: a redelivery is acknowledged unhandled'
);
SELECT is(
    (
        SELECT array_agg(m.consumer || ':' || (m.processed_at = now())) FROM store.processed_messages AS m
        WHERE m.event_id = tests.id('event')
    ),
    ARRAY['refunds:true'], 'one record, as of now'
);
SELECT is(
    api.message_processed('notifications', tests.id('event')), '{"processed": false}'::jsonb,
    'another consumer has not processed it'
);
SELECT is(
    api.record_processed('notifications', tests.id('event')), '{"recorded": true}'::jsonb,
    'and records its own'
);
SELECT is(
    api.message_processed('notifications', tests.id('event')), '{"processed": true}'::jsonb,
    'then it has processed it too'
);
SELECT throws_ok(
    format($$SELECT api.record_processed('Refunds!', %s)$$, tests.id('event')),
    '23514', NULL, 'a consumer name outside [a-z_] is refused'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
