-- initiate_refund (create_refund under it) emits one refund.requested per refund, in its
-- transaction: {"refund_id", "user_id", "order_id", "amount"}, the refunds consumer's cue to
-- send it; the refund's queued_at is that moment. A replay under the same Idempotency-Key
-- emits nothing more; a refused refund (more than the remainder) emits nothing.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.make_paid_order();
    PERFORM tests.set_id('a', (api.initiate_refund(tests.id('user'), tests.id('order'), 'A', 20000, FALSE, 'rk-a') ->> 'id')::bigint);
    PERFORM api.initiate_refund(tests.id('user'), tests.id('order'), 'A', 20000, FALSE, 'rk-a');
    PERFORM tests.set_id('b', (api.initiate_refund(tests.id('user'), tests.id('order'), 'B', 30000, TRUE) ->> 'id')::bigint);
END
$$;

SELECT is(
    tests.event_payloads(tests.id('order'), 'refund.requested'),
    jsonb_build_array(
        jsonb_build_object(
            'refund_id', tests.id('a'), 'user_id', tests.id('user'), 'order_id', tests.id('order'),
            'amount', 20000
        ),
        jsonb_build_object(
            'refund_id', tests.id('b'), 'user_id', tests.id('user'), 'order_id', tests.id('order'),
            'amount', 30000
        )
    ),
    'one refund.requested per refund, none for the replay, in order'
);
SELECT is(
    tests.order_events(tests.id('order')),
    ARRAY['order.placed', 'order.paid', 'refund.requested', 'refund.requested'],
    'a refund moves no status: no order event'
);
SELECT is(
    (
        SELECT array_agg(r.queued_at = now() ORDER BY r.id) FROM store.refunds AS r
        WHERE r.order_id = tests.id('order')
    ),
    ARRAY[TRUE, TRUE], 'each refund is queued as of its request'
);
SELECT throws_ok(
    format('SELECT api.initiate_refund(%s, %s, %L, 70001)', tests.id('user'), tests.id('order'), 'Too much'),
    'JK422', 'refund_amount_exceeds_paid', 'more than the remainder is refused'
);
SELECT is(
    jsonb_array_length(tests.event_payloads(tests.id('order'), 'refund.requested')), 2,
    'and emits nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
