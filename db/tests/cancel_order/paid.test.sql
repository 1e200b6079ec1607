-- cancel_order of a confirmed or packed order: its sold units go back on hand (once), the
-- captured amount not yet refunded is refunded in full (a pending refund with restock, and its
-- refund.requested event in the outbox for the refunds consumer), the coupon use is given back.
-- Shipped or delivered orders raise JK409 order_not_cancellable.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.make_paid_order('c_', p_price => 60000, p_quantity => 2, p_stock => 3);
    PERFORM tests.make_paid_order('p_', p_price => 60000, p_quantity => 1, p_stock => 1);
    UPDATE store.orders SET status = 'packed' WHERE id = tests.id('p_order');
    PERFORM tests.make_paid_order('s_');
    UPDATE store.orders SET status = 'shipped' WHERE id = tests.id('s_order');
    -- A partial refund first: the cancellation refunds the rest.
    PERFORM api.initiate_refund(tests.id('c_user'), tests.id('c_order'), 'Late', 10000);
    PERFORM tests.set_json('answer', api.cancel_order(tests.id('c_user'), tests.id('c_order')));
    PERFORM api.cancel_order(tests.id('p_user'), tests.id('p_order'));
END
$$;

SELECT is(tests.json('answer') ->> 'status', 'cancelled', 'a confirmed order is cancelled');
SELECT is(tests.on_hand(tests.id('c_product')), 3, 'its sold units are back on hand');
SELECT is(tests.units_sold(tests.id('c_product')), 0::bigint, 'and no longer count as sold');
SELECT
    is(
        tests.refunds_of(tests.id('c_order')),
        ARRAY['10000:pending', '110000:pending'],
        'the rest of the capture is refunded'
    );
SELECT is(
    tests.event_payloads(tests.id('c_order'), 'refund.requested') -> -1,
    jsonb_build_object(
        'refund_id', (
            SELECT max(r.id) FROM store.refunds AS r
            WHERE r.order_id = tests.id('c_order')
        ),
        'user_id', tests.id('c_user'), 'order_id', tests.id('c_order'), 'amount', 110000
    ),
    'and a refund.requested event for it is in the outbox, for the gateway'
);
SELECT ok(
    (
        SELECT bool_and(r.restock) FROM store.refunds AS r
        WHERE r.order_id = tests.id('c_order') AND r.amount = 110000
    ),
    'as a restocking refund'
);
SELECT is(
    ((tests.order_row(tests.id('p_order'))).status, tests.on_hand(tests.id('p_product')))::text,
    '(cancelled,1)', 'a packed order too'
);
SELECT throws_ok(
    format('SELECT api.cancel_order(%s, %s)', tests.id('s_user'), tests.id('s_order')),
    'JK409', 'order_not_cancellable', 'a shipped order cannot be cancelled'
);
SELECT is(tests.on_hand(tests.id('s_product')), 1, 'and keeps its stock sold');
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
