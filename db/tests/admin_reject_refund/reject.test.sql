-- admin_reject_refund: a request is rejected with a reason the customer sees; nothing was
-- reserved, nothing moves (payment, order status, events); audited with the reason; the
-- customer may ask again; rejecting twice or a refund that is no request: JK409
-- refund_not_requested; a blank reason JK422; unknown JK404 refund_not_found.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.make_shipped_order();
    PERFORM tests.set_id('request', (api.initiate_refund(tests.id('user'), tests.id('order'), 'Not as pictured') ->> 'id')::bigint);
END
$$;

SELECT is(
    tests.error_of(
        format($$SELECT api.admin_reject_refund(%s, %s, '  ')$$, tests.id('staff'), tests.id('request'))
    )
    ->> 'column',
    'reason', 'a blank reason names reason'
);
SELECT is(
    tests.pick(
        api.admin_reject_refund(tests.id('staff'), tests.id('request'), 'Matches the pictures'),
        ARRAY['status', 'rejection_reason', 'decided_by']
    ),
    jsonb_build_object(
        'status', 'rejected', 'rejection_reason', 'Matches the pictures', 'decided_by', tests.id('staff')
    ),
    'rejected with its reason'
);
SELECT is(
    api.list_refunds(tests.id('user'), tests.id('order')) -> 'items' -> 0 ->> 'rejection_reason',
    'Matches the pictures', 'the customer sees why'
);
SELECT is(
    (
        tests.refund_state(tests.id('request')), (tests.order_row(tests.id('order'))).status,
        tests.refund_events(tests.id('request'))
    )::text,
    '(rejected:0,shipped,[])', 'nothing reserved, the order unchanged, nothing sent'
);
SELECT is(
    tests.audit_of('refund', tests.id('request')),
    ARRAY[format('refund.reject:%s:Matches the pictures', tests.id('staff'))], 'audited with the reason'
);
SELECT throws_ok(
    format($$SELECT api.admin_reject_refund(%s, %s, 'Again')$$, tests.id('staff'), tests.id('request')),
    'JK409', 'refund_not_requested', 'rejecting twice'
);
SELECT throws_ok(
    format($$SELECT api.admin_reject_refund(%s, 999999999, 'x')$$, tests.id('staff')),
    'JK404', 'refund_not_found', 'an unknown refund'
);
SELECT is(
    (
        api.initiate_refund(tests.id('user'), tests.id('order'), 'Asking again') ->> 'status',
        tests.broken_rules()
    )::text,
    '(requested,{})', 'the customer may ask again; invariants clean'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
