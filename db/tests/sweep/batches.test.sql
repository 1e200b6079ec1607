-- sweep works a backlog off in batches, oldest first: at most 1,000 refunds requeued (those
-- queued longest ago), at most 10,000 published events and 10,000 processed-message records
-- deleted (the lowest event ids) per run. Anything else already due in the database is made
-- not due first (rolled back with the test), so that the counts are this test's.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.make_paid_order(p_price => 600000, p_quantity => 1, p_stock => 1);
    UPDATE store.refunds SET queued_at = now()
    WHERE status = 'pending' AND gateway_refund_id IS NULL;
    UPDATE store.outbox_events SET published_at = now() WHERE published_at < now() - interval '6 days';
    UPDATE store.processed_messages SET processed_at = now() WHERE processed_at < now() - interval '6 days';

    -- 1,001 refunds of 1 paisa waiting for the gateway, the first queued longest ago.
    INSERT INTO store.refunds (user_id, order_id, payment_id, amount, reason, queued_at)
    SELECT p.user_id, p.order_id, p.id, 1, 'Batch', now() - interval '1 hour' - i * interval '1 second'
    FROM store.payments AS p
    CROSS JOIN generate_series(1, 1001) AS i
    WHERE p.order_id = tests.id('order');
    UPDATE store.payments SET amount_refunded = 1001 WHERE order_id = tests.id('order');
    PERFORM tests.set_id('newest_refund', (
        SELECT r.id FROM store.refunds AS r
        WHERE r.order_id = tests.id('order')
        ORDER BY r.queued_at DESC LIMIT 1
    ));

    -- 10,001 events published 8 days ago, each processed by a consumer.
    PERFORM tests.set_json('made', (
        SELECT jsonb_build_object('first', min(made.id), 'last', max(made.id))
        FROM (
            SELECT tests.make_event(
                p_created_at => now() - interval '8 days', p_published_at => now() - interval '8 days'
            ) AS id
            FROM generate_series(1, 10001)
        ) AS made
    ));
    PERFORM tests.set_id('first_event', (tests.json('made') ->> 'first')::bigint);
    PERFORM tests.set_id('last_event', (tests.json('made') ->> 'last')::bigint);
    INSERT INTO store.processed_messages (consumer, event_id, processed_at)
    SELECT 'refunds', e.id, now() - interval '8 days'
    FROM store.outbox_events AS e
    WHERE e.id >= tests.id('first_event') AND e.published_at = now() - interval '8 days';
    PERFORM tests.set_json('swept', api.sweep());
END
$$;

SELECT is(
    tests.pick(tests.json('swept'), ARRAY['refunds_requeued', 'events_deleted']),
    '{"refunds_requeued": 1000, "events_deleted": 10000}'::jsonb,
    'at most 1,000 refunds requeued and 10,000 events deleted in one run'
);
SELECT is(
    (
        SELECT array_agg(r.id) FROM store.refunds AS r
        WHERE r.order_id = tests.id('order') AND r.queued_at < now()
    ),
    ARRAY[tests.id('newest_refund')],
    'the refund queued last waits for the next run'
);
SELECT is(
    (
        SELECT array_agg(e.id) FROM store.outbox_events AS e
        WHERE e.id >= tests.id('first_event') AND e.published_at < now()
    ),
    ARRAY[tests.id('last_event')],
    'the event with the highest id waits for the next run'
);
SELECT is(
    (
        SELECT array_agg(m.event_id) FROM store.processed_messages AS m
        WHERE m.event_id >= tests.id('first_event') AND m.processed_at < now()
    ),
    ARRAY[tests.id('last_event')],
    'as does its processed-message record: 10,000 deleted'
);
SELECT is(
    jsonb_array_length(tests.event_payloads(tests.id('order'), 'refund.requested')),
    1000,
    'one refund.requested for each refund requeued'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
