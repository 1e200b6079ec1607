-- cancel_order's events, in the cancellation's transaction: an unpaid order emits one
-- order.cancelled; a paid one also has its refund announced, refund.requested before
-- order.cancelled (close_order refunds, then moves the status), one each; a refused
-- cancellation (shipped, JK409) emits nothing.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order('u_');
    PERFORM api.cancel_order(tests.id('u_user'), tests.id('u_order'), 'Changed my mind');
    PERFORM tests.make_paid_order('p_', p_price => 60000, p_quantity => 1);
    PERFORM api.cancel_order(tests.id('p_user'), tests.id('p_order'));
    PERFORM tests.make_paid_order('s_');
    PERFORM api.update_order_status(tests.make_staff(), tests.id('s_order'), 'packed');
    UPDATE store.orders SET status = 'shipped' WHERE id = tests.id('s_order');
END
$$;

SELECT is(
    tests.order_events(tests.id('u_order')), ARRAY['order.placed', 'order.cancelled'],
    'an unpaid order: one order.cancelled'
);
SELECT is(
    tests.event_payloads(tests.id('u_order'), 'order.cancelled') -> 0,
    tests.order_event(tests.id('u_order')) || '{"status": "cancelled"}',
    'with the order as cancelled'
);
SELECT is(
    tests.order_events(tests.id('p_order')),
    ARRAY['order.placed', 'order.paid', 'refund.requested', 'order.cancelled'],
    'a paid order: its refund requested, then cancelled, one event each'
);
SELECT throws_ok(
    format('SELECT api.cancel_order(%s, %s)', tests.id('s_user'), tests.id('s_order')),
    'JK409', 'order_not_cancellable', 'a shipped order cannot be cancelled'
);
SELECT is(
    tests.order_events(tests.id('s_order')), ARRAY['order.placed', 'order.paid', 'order.packed'],
    'and the refusal emits nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
