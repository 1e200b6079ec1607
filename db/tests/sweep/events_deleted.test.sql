-- sweep deletes the outbox events published 7 days ago or more, and the processed-message
-- records 7 days old or more; it keeps events published more recently and every unpublished
-- event, however old (the relay has yet to send it). The answer counts the deleted events in
-- events_deleted.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_id('old', tests.make_event(
        p_created_at => now() - interval '8 days', p_published_at => now() - interval '8 days'
    ));
    PERFORM tests.set_id('edge', tests.make_event(
        p_created_at => now() - interval '7 days', p_published_at => now() - interval '7 days'
    ));
    PERFORM tests.set_id('recent', tests.make_event(
        p_created_at => now() - interval '8 days', p_published_at => now() - interval '6 days 23 hours'
    ));
    PERFORM tests.set_id('unpublished', tests.make_event(p_created_at => now() - interval '30 days'));
    PERFORM tests.set_id('fresh', tests.make_event(p_published_at => now()));
    INSERT INTO store.processed_messages (consumer, event_id, processed_at) VALUES
    ('refunds', tests.id('old'), now() - interval '8 days'),
    ('otp_sms', tests.id('edge'), now() - interval '7 days'),
    ('notifications', tests.id('recent'), now() - interval '6 days 23 hours'),
    ('refunds', tests.id('fresh'), now());
    PERFORM tests.set_json('swept', api.sweep());
END
$$;

SELECT cmp_ok(
    (tests.json('swept') ->> 'events_deleted')::integer, '>=', 2,
    'the sweep says how many events it deleted'
);
SELECT is(
    (
        SELECT array_agg(e.id ORDER BY e.id) FROM store.outbox_events AS e
        WHERE e.id = any(tests.ids(ARRAY['old', 'edge', 'recent', 'unpublished', 'fresh']))
    ),
    tests.ids(ARRAY['recent', 'unpublished', 'fresh']),
    'events published 7 days ago or more are deleted; later and unpublished ones kept'
);
SELECT is(
    (
        SELECT array_agg(m.consumer ORDER BY m.event_id) FROM store.processed_messages AS m
        WHERE m.event_id = any(tests.ids(ARRAY['old', 'edge', 'recent', 'fresh']))
    ),
    ARRAY['notifications', 'refunds'],
    'processed-message records 7 days old or more are deleted, later ones kept'
);
SELECT is(
    (tests.event_row(tests.id('unpublished'))).published_at, NULL::timestamptz,
    'the old unpublished event is still waiting for the relay'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
