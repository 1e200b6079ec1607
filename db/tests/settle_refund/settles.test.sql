-- settle_refund: processed refunds move a paid order to partially_refunded, then refunded when
-- they reach the capture (recorded as the gateway's moves); a failed refund gives its amount
-- back and moves nothing; a refund of a cancelled order leaves it cancelled; a final refund is
-- never settled again.
BEGIN;

SELECT plan(8);

DO $$
DECLARE
    v_user bigint;
BEGIN
    PERFORM tests.make_paid_order();
    v_user := tests.id('user');
    PERFORM tests.set_id('a', (api.initiate_refund(v_user, tests.id('order'), 'A', 20000) ->> 'id')::bigint);
    PERFORM tests.set_id('b', (api.initiate_refund(v_user, tests.id('order'), 'B', 30000) ->> 'id')::bigint);
    PERFORM tests.set_id('c', (api.initiate_refund(v_user, tests.id('order'), 'C') ->> 'id')::bigint);
    PERFORM tests.make_paid_order('x_');
    PERFORM tests.set_json('cancelled', api.cancel_order(tests.id('x_user'), tests.id('x_order')));
END
$$;

SELECT is(
    internal.settle_refund(tests.id('user'), tests.id('a'), 'processed'), 'refund_processed', 'processed'
);
SELECT is(
    (tests.order_row(tests.id('order'))).status, 'partially_refunded', 'the order is partially refunded'
);
SELECT is(internal.settle_refund(tests.id('user'), tests.id('b'), 'failed'), 'refund_failed', 'failed');
SELECT is(
    (
        (tests.payment_row(tests.id('order'))).amount_refunded, (tests.order_row(tests.id('order'))).status
    )::text,
    '(90000,partially_refunded)', 'the failed amount is given back, the status stays'
);
SELECT
    is(
        internal.settle_refund(tests.id('user'), tests.id('b'), 'processed'),
        'refund_already_final',
        'a failed refund stays failed'
    );
SELECT lives_ok(
    format($$SELECT api.initiate_refund(%s, %s, 'B again', 30000)$$, tests.id('user'), tests.id('order')),
    'what was given back can be refunded again'
);
SELECT is(
    (
        SELECT array_agg(internal.settle_refund(r.user_id, r.id, 'processed') ORDER BY r.id)
        FROM store.refunds AS r
        WHERE r.order_id = tests.id('order') AND r.status = 'pending'
    ),
    ARRAY['refund_processed', 'refund_processed'], 'the rest is processed'
);
SELECT is(
    (
        tests.order_history(tests.id('order')), (tests.order_row(tests.id('x_order'))).status,
        internal.settle_refund(
            tests.id('x_user'),
            (
                SELECT r.id FROM store.refunds AS r
                WHERE r.order_id = tests.id('x_order')
            ),
            'processed'
        ),
        (tests.order_row(tests.id('x_order'))).status
    )::text,
    '("{pending_payment>confirmed:customer,confirmed>partially_refunded:gateway,'
    || 'partially_refunded>refunded:gateway}",cancelled,refund_processed,cancelled)',
    'refunded when processed refunds reach the capture; a cancelled order stays cancelled'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
