-- sweep requeues a refund still pending without the gateway's refund id 15 minutes or more
-- after its last refund.requested (its message dead-lettered, or the refund predates the
-- outbox): a new refund.requested event for it, and queued_at moves to now, so the next sweep
-- leaves it alone for another 15 minutes. Refunds queued less than 15 minutes ago, refunds the
-- gateway already has, and final refunds are left alone. The answer counts them in
-- refunds_requeued.
BEGIN;

SELECT plan(7);

DO $$
DECLARE
    v_user bigint;
BEGIN
    PERFORM tests.make_paid_order();
    v_user := tests.id('user');
    PERFORM tests.set_id('old', (api.initiate_refund(v_user, tests.id('order'), 'Old', 1000) ->> 'id')::bigint);
    PERFORM tests.set_id('edge', (api.initiate_refund(v_user, tests.id('order'), 'Edge', 2000) ->> 'id')::bigint);
    PERFORM tests.set_id('fresh', (api.initiate_refund(v_user, tests.id('order'), 'Fresh', 3000) ->> 'id')::bigint);
    PERFORM tests.set_id('sent', (api.initiate_refund(v_user, tests.id('order'), 'Sent', 4000) ->> 'id')::bigint);
    PERFORM api.attach_gateway_refund(v_user, tests.id('sent'), 'rfnd_Requeue0000001');
    PERFORM tests.set_id('failed', (api.initiate_refund(v_user, tests.id('order'), 'Failed', 5000) ->> 'id')::bigint);
    PERFORM api.fail_gateway_refund(v_user, tests.id('failed'));
    PERFORM tests.set_id('done', (api.initiate_refund(v_user, tests.id('order'), 'Done', 6000) ->> 'id')::bigint);
    PERFORM internal.settle_refund(v_user, tests.id('done'), 'processed');
    UPDATE store.refunds SET queued_at = now() - interval '1 hour'
    WHERE id IN (tests.id('old'), tests.id('sent'), tests.id('failed'), tests.id('done'));
    UPDATE store.refunds SET queued_at = now() - interval '15 minutes' WHERE id = tests.id('edge');
    UPDATE store.refunds SET queued_at = now() - interval '14 minutes 59 seconds' WHERE id = tests.id('fresh');
    PERFORM tests.set_json('first', api.sweep());
    PERFORM tests.set_json('second', api.sweep());
END
$$;

SELECT cmp_ok(
    (tests.json('first') ->> 'refunds_requeued')::integer, '>=', 2,
    'the sweep says how many refunds it requeued'
);
SELECT is(
    (
        SELECT array_agg(r.id ORDER BY r.id) FROM store.refunds AS r
        WHERE r.order_id = tests.id('order') AND jsonb_array_length(tests.refund_events(r.id)) > 1
    ),
    tests.ids(ARRAY['old', 'edge']),
    'a second refund.requested for the pending refunds without a gateway id queued 15 minutes ago or more'
);
SELECT is(
    tests.refund_events(tests.id('old')),
    jsonb_build_array(tests.refund_requested(tests.id('old')), tests.refund_requested(tests.id('old'))),
    'the same message again'
);
SELECT is(
    (
        SELECT array_agg(r.id || ':' || (now() - r.queued_at) ORDER BY r.id) FROM store.refunds AS r
        WHERE r.order_id = tests.id('order') AND r.queued_at > now() - interval '15 minutes'
    ),
    ARRAY[
        tests.id('old') || ':00:00:00', tests.id('edge') || ':00:00:00', tests.id('fresh') || ':00:14:59'
    ],
    'their queued_at moves to now; the one queued 1 s short of 15 minutes keeps its own'
);
SELECT is(
    (
        SELECT array_agg(r.id ORDER BY r.id) FROM store.refunds AS r
        WHERE r.order_id = tests.id('order') AND r.queued_at < now() - interval '15 minutes'
    ),
    tests.ids(ARRAY['sent', 'failed', 'done']),
    'the refunds the gateway has, or that are final, keep theirs'
);
SELECT is(
    tests.json('second') ->> 'refunds_requeued', '0', 'a second sweep at once requeues nothing'
);
SELECT is(
    (
        SELECT sum(jsonb_array_length(tests.refund_events(r.id)))::integer FROM store.refunds AS r
        WHERE r.order_id = tests.id('order')
    ),
    8, 'six requests and the two requeued: nothing else was emitted'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
