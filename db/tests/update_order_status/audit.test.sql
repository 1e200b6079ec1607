-- update_order_status writes a staff audit entry (order.status) in its transaction: the order
-- row before and after, the reason, the customer; a refused change writes none.
BEGIN;

SELECT plan(3);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.make_paid_order();
    PERFORM api.update_order_status(tests.id('staff'), tests.id('order'), 'packed', 'Box 12');
END
$$;

SELECT is(
    (SELECT
        row(
            a.action, a.staff_user_id = tests.id('staff'), a.before ->> 'status', a.after ->> 'status',
            a.reason, a.customer_id = tests.id('user')
        )::text
    FROM tests.last_audit('order', tests.id('order')) AS a),
    '(order.status,t,confirmed,packed,"Box 12",t)',
    'audited: who, before and after, the reason, the customer'
);
SELECT throws_ok(
    format($$SELECT api.update_order_status(%s, %s, 'delivered')$$, tests.id('staff'), tests.id('order')),
    'JK409', 'invalid_status_transition', 'a step skipped is refused'
);
SELECT is(
    cardinality(tests.audit_of('order', tests.id('order'))), 1, 'and writes no audit entry'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
