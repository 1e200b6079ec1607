-- The refund request flow: a customer asks on a delivered order; staff approve it: the amount
-- is reserved under the payment row lock (create_refund), the goods restocked, a
-- refund.requested event written, the refund pending; the gateway settles it and the order
-- becomes partially_refunded; the decision and the audit name the staff member. Approving
-- twice is JK409 refund_not_requested; a request whose money other refunds took meanwhile is
-- refused (JK422 refund_amount_exceeds_paid) and stays requested. Invariants clean throughout.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.make_shipped_order(p_price => 50000, p_quantity => 2, p_stock => 2);
    PERFORM api.update_order_status(tests.id('staff'), tests.id('order'), 'delivered');
    PERFORM tests.set_id('request', (api.initiate_refund(tests.id('user'), tests.id('order'),
        'One car missing', 20000, TRUE) ->> 'id')::bigint);
END
$$;

SELECT is(tests.broken_rules(), '{}'::text[], 'a request breaks no invariant');
SELECT is(
    tests.pick(
        api.admin_approve_refund(tests.id('staff'), tests.id('request'), 'Photo checked'),
        ARRAY['status', 'amount', 'decided_by', 'order_status']
    ),
    jsonb_build_object(
        'status', 'pending', 'amount', 20000, 'decided_by', tests.id('staff'),
        'order_status', 'delivered'
    ),
    'approved: pending, decided by the staff member'
);
SELECT is(tests.refund_state(tests.id('request')), 'pending:20000', 'its amount is reserved now');
SELECT is(
    tests.refund_events(tests.id('request')) -> 0 -> 'amount', '20000'::jsonb,
    'and its refund.requested event written, for the gateway'
);
SELECT is(tests.on_hand(tests.id('product')), 2, 'the goods went back on hand');
SELECT is(
    (
        SELECT
            row(
                a.action,
                a.before ->> 'status',
                a.after ->> 'status',
                a.reason,
                a.customer_id = tests.id('user')
            )::text
        FROM tests.last_audit('refund', tests.id('request')) AS a
    ),
    '(refund.approve,requested,pending,"Photo checked",t)', 'audited, with the note and the customer'
);
SELECT throws_ok(
    format('SELECT api.admin_approve_refund(%s, %s)', tests.id('staff'), tests.id('request')),
    'JK409', 'refund_not_requested', 'approving twice'
);
DO $$
BEGIN
    PERFORM tests.publish_all();
    PERFORM internal.settle_refund(tests.id('user'), tests.id('request'), 'processed');
END
$$;
SELECT is(
    ((tests.order_row(tests.id('order'))).status, tests.broken_rules())::text,
    '(partially_refunded,{})', 'settled by the gateway: partially_refunded, invariants clean'
);
-- A request for the rest, then the rest refunded some other way meanwhile (a DBA's refund).
DO $$
BEGIN
    PERFORM tests.set_id('late', (api.initiate_refund(tests.id('user'), tests.id('order'), 'The rest') ->> 'id')::bigint);
    PERFORM internal.create_refund(tests.id('user'), tests.id('order'), 1, 'Goodwill', FALSE);
END
$$;
SELECT throws_ok(
    format('SELECT api.admin_approve_refund(%s, %s)', tests.id('staff'), tests.id('late')),
    'JK422', 'refund_amount_exceeds_paid', 'what remains is checked again at approval'
);
SELECT is(
    (tests.refund_state(tests.id('late')), tests.broken_rules())::text,
    '(requested:20001,{})', 'the request stays requested, nothing reserved for it; invariants clean'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
