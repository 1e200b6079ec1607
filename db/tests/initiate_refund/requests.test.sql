-- initiate_refund on an order that has shipped: a request (status requested) that reserves
-- nothing (payments.amount_refunded unchanged) and sends nothing (no refund.requested event);
-- still checked as any refund (refund_amount_exceeds_paid); one open request per order
-- (JK409 refund_already_requested); after delivery too. Before shipping: at once, unchanged.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.make_shipped_order();
    PERFORM tests.make_paid_order('packed_');
    PERFORM tests.set_json('request', api.initiate_refund(tests.id('user'), tests.id('order'), 'Arrived broken', 30000, TRUE));
END
$$;

SELECT is(
    tests.pick(tests.json('request'), ARRAY['status', 'amount', 'restock', 'rejection_reason']),
    '{"status": "requested", "amount": 30000, "restock": true, "rejection_reason": null}'::jsonb,
    'a refund of a shipped order is a request'
);
SELECT is(
    tests.refund_state((tests.json('request') ->> 'id')::bigint), 'requested:0',
    'it reserves nothing on the payment'
);
SELECT is(
    tests.refund_events((tests.json('request') ->> 'id')::bigint), '[]'::jsonb,
    'and sends nothing (no refund.requested event)'
);
SELECT is(
    (api.list_refunds(tests.id('user'), tests.id('order')) ->> 'total_refunded')::bigint, 0::bigint,
    'total_refunded does not count it'
);
SELECT throws_ok(
    format($$SELECT api.initiate_refund(%s, %s, 'Again', 1000)$$, tests.id('user'), tests.id('order')),
    'JK409', 'refund_already_requested', 'a second request waits for the first'
);
SELECT throws_ok(
    format(
        $$SELECT api.initiate_refund(%s, %s, 'Too much', 999999)$$,
        tests.id('packed_user'),
        tests.id('packed_order')
    ),
    'JK422', 'refund_amount_exceeds_paid', 'amounts are checked as before'
);
SELECT is(
    api.initiate_refund(tests.id('packed_user'), tests.id('packed_order'), 'Changed my mind', 1000)
    ->> 'status',
    'pending', 'an order not shipped is refunded at once'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
