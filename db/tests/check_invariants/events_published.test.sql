-- check_invariants rule 13, events_published: an event written a minute ago or more and still
-- unpublished means the relay is stopped or RabbitMQ refuses it. A fresh unpublished event
-- (the relay has a minute) and a published one, however old, break nothing. The detail counts
-- them and names the oldest. The events already in the database are marked published first
-- (rolled back with the test).
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.publish_all();
    PERFORM tests.make_unpaid_order();
    PERFORM tests.make_event(p_created_at => now() - interval '59 seconds');
    PERFORM tests.make_event(p_created_at => now() - interval '2 days', p_published_at => now());
END
$$;

SELECT is(
    tests.broken_rules(), '{}'::text[],
    'fresh unpublished events (an order''s, one 59 s old) and an old published one break nothing'
);
SELECT is(
    tests.rules_broken_by($$SELECT tests.make_event(p_created_at => now() - interval '1 minute')$$),
    ARRAY['events_published'], 'an event unpublished for a minute breaks it'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.outbox_events SET created_at = now() - interval '1 hour' WHERE order_id = %s$$,
        tests.id('order')
    )),
    ARRAY['events_published'], 'as does an order''s event left unpublished'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.outbox_events SET created_at = now() - interval '1 hour' WHERE order_id = %s;
          SELECT api.mark_outbox_published(array_agg(id)) FROM store.outbox_events WHERE order_id = %s$$,
        tests.id('order'), tests.id('order')
    )),
    '{}'::text[], 'and no longer once the relay has published it'
);

-- The detail: how many, the oldest's id and topic.
CREATE FUNCTION pg_temp.rule_13_detail()
RETURNS text
LANGUAGE sql
AS $$
    SELECT v.value ->> 'detail' FROM jsonb_array_elements(internal.check_invariants()) AS v (value)
    WHERE v.value ->> 'rule' = 'events_published'
$$;
DO $$
BEGIN
    PERFORM tests.set_id('oldest', tests.make_event('test.zulu', p_created_at => now() - interval '1 hour'));
    PERFORM tests.make_event('test.alpha', p_created_at => now() - interval '2 minutes');
END
$$;
SELECT matches(
    pg_temp.rule_13_detail(),
    format('^2 events written before .* are unpublished, the oldest %s ', tests.id('oldest')),
    'the detail counts the unpublished events and names the oldest'
);
SELECT matches(
    pg_temp.rule_13_detail(), format('the oldest %s \(test\.zulu\)$', tests.id('oldest')),
    'with the oldest event''s topic'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
