-- Every event carries the trace context of the request that wrote it: the setting
-- jiokidz.traceparent, which app/db.py sets for the transaction when tracing is on. Unset (the
-- first order, before any set_config in this session) or empty, the event's traceparent is
-- NULL. The relay's batch carries it on.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order('unset_');
    PERFORM set_config(
        'jiokidz.traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', TRUE
    );
    PERFORM tests.make_unpaid_order('traced_');
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.send_code(tests.value('phone'));
    PERFORM set_config('jiokidz.traceparent', '', TRUE);
    PERFORM tests.make_unpaid_order('empty_');
END
$$;

SELECT is(
    (
        SELECT array_agg(DISTINCT e.traceparent) FROM store.outbox_events AS e
        WHERE
            e.order_id = tests.id('traced_order')
            OR (e.topic = 'otp.requested' AND e.payload ->> 'phone' = tests.value('phone'))
    ),
    ARRAY['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    'events written with the setting carry it (an order''s and a login code''s)'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.outbox_events AS e
        WHERE
            e.order_id = tests.id('traced_order')
            OR (e.topic = 'otp.requested' AND e.payload ->> 'phone' = tests.value('phone'))
    ),
    2, 'both events'
);
SELECT is(
    (
        SELECT array_agg(e.traceparent IS NULL ORDER BY e.id) FROM store.outbox_events AS e
        WHERE e.order_id IN (tests.id('unset_order'), tests.id('empty_order'))
    ),
    ARRAY[TRUE, TRUE], 'unset or empty: no trace context'
);
SELECT is(
    (
        SELECT e.value ->> 'traceparent'
        FROM jsonb_array_elements(api.next_outbox_events(1000)) AS e
        WHERE (e.value ->> 'order_id')::bigint = tests.id('traced_order')
    ),
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'the relay''s batch carries it'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
