-- mark_outbox_published: the events RabbitMQ confirmed are published (published_at = now()) and
-- leave the relay's queue; the answer counts only the rows marked now, so a second call for
-- the same ids (a retried batch) says 0 and keeps their first published_at. An otp.requested
-- event loses its code once published (the phone and expiry stay); no other event is changed,
-- even one whose payload has a "code".
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.send_code(tests.value('phone'));
    PERFORM tests.set_id('otp', (tests.otp_events(tests.value('phone')) #>> '{0,id}')::bigint);
    PERFORM tests.set_id('coded', tests.make_event('test.coded', NULL, '{"code": "X1", "n": 1}'));
    PERFORM tests.set_id('later', tests.make_event('test.later'));
    PERFORM tests.set_json('first', api.mark_outbox_published(tests.ids(ARRAY['otp', 'coded'])));
    -- As if the first batch had been marked an hour ago.
    UPDATE store.outbox_events SET published_at = now() - interval '1 hour'
    WHERE id IN (tests.id('otp'), tests.id('coded'));
    PERFORM tests.set_json('again', api.mark_outbox_published(tests.ids(ARRAY['otp', 'coded'])));
END
$$;

SELECT is(tests.json('first'), '{"published": 2}'::jsonb, 'two events marked');
SELECT is(tests.json('again'), '{"published": 0}'::jsonb, 'marking them again counts none');
SELECT is(
    (
        SELECT array_agg(e.published_at ORDER BY e.id) FROM store.outbox_events AS e
        WHERE e.id IN (tests.id('otp'), tests.id('coded'))
    ),
    ARRAY[now() - interval '1 hour', now() - interval '1 hour'],
    'and keeps their first publication time'
);
SELECT is(
    (tests.event_row(tests.id('otp'))).payload,
    jsonb_build_object(
        'phone', tests.value('phone'),
        'expires_at', (tests.latest_code(tests.value('phone'))).expires_at
    ),
    'the published otp.requested lost its code, kept the phone and expiry'
);
SELECT is(
    (tests.event_row(tests.id('coded'))).payload, '{"code": "X1", "n": 1}'::jsonb,
    'another topic keeps its payload whole'
);
SELECT is(
    (tests.event_row(tests.id('later'))).published_at, NULL::timestamptz,
    'an event not named stays unpublished'
);
SELECT is(
    api.mark_outbox_published(ARRAY[tests.id('later'), tests.id('otp'), -1]),
    '{"published": 1}'::jsonb,
    'a batch mixing new, already marked and unknown ids counts the new one'
);
SELECT is(
    (tests.event_row(tests.id('later'))).published_at, now(), 'marked as of now'
);
SELECT is(
    api.mark_outbox_published('{}'), '{"published": 0}'::jsonb, 'an empty batch marks nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
