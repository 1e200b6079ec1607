-- initiate_refund (and create_refund under it): partial refunds reserve their amount on the
-- payment; no amount means the whole remainder; more than the remainder raises JK422
-- refund_amount_exceeds_paid; nothing left raises JK409 order_not_refundable, as does an
-- unpaid order; an amount below 1 or a blank reason JK422 validation_error; another user's
-- order JK404 order_not_found.
BEGIN;

SELECT plan(12);

DO $$
BEGIN
    PERFORM tests.make_paid_order();
    PERFORM tests.make_unpaid_order('u_');
    PERFORM tests.set_json('first', api.initiate_refund(tests.id('user'), tests.id('order'), 'Scratched', 25000));
END
$$;

SELECT is(
    tests.json('first') - 'id' - 'created_at',
    jsonb_build_object(
        'order_id', tests.id('order'), 'amount', 25000, 'status', 'pending',
        'reason', 'Scratched', 'restock', FALSE, 'rejection_reason', NULL
    ),
    'a partial refund, pending'
);
SELECT is(
    tests.refund_events((tests.json('first') ->> 'id')::bigint),
    jsonb_build_array(jsonb_build_object(
        'refund_id', (tests.json('first') ->> 'id')::bigint, 'user_id', tests.id('user'),
        'order_id', tests.id('order'), 'amount', 25000
    )),
    'one refund.requested event for it is in the outbox, for the gateway'
);
SELECT
    is(
        (tests.payment_row(tests.id('order'))).amount_refunded,
        25000::bigint,
        'its amount is reserved on the payment'
    );
SELECT is(
    tests.error_of(
        format(
            'SELECT api.initiate_refund(%s, %s, %L, 95001)', tests.id('user'), tests.id('order'), 'Too much'
        )
    ),
    jsonb_build_object(
        'sqlstate', 'JK422', 'message', 'refund_amount_exceeds_paid', 'column', 'amount',
        'detail', format('At most ₹950 of order %s can still be refunded', tests.id('order'))
    ),
    'more than the remainder is refused, saying how much is left'
);
SELECT throws_ok(
    format('SELECT api.initiate_refund(%s, %s, %L, 0)', tests.id('user'), tests.id('order'), 'Nothing'),
    'JK422', 'validation_error', 'an amount below 1 paisa'
);
SELECT throws_ok(
    format('SELECT api.initiate_refund(%s, %s, %L, 100)', tests.id('user'), tests.id('order'), '   '),
    'JK422', 'validation_error', 'a blank reason'
);
SELECT is(
    (api.initiate_refund(tests.id('user'), tests.id('order'), 'The rest') ->> 'amount')::bigint,
    95000::bigint,
    'no amount: the whole remainder'
);
SELECT is(
    (tests.payment_row(tests.id('order'))).amount_refunded,
    (tests.payment_row(tests.id('order'))).amount_captured,
    'now all of the capture is refunded'
);
SELECT throws_ok(
    format('SELECT api.initiate_refund(%s, %s, %L, 1)', tests.id('user'), tests.id('order'), 'More'),
    'JK409', 'order_not_refundable', 'nothing left to refund'
);
SELECT throws_ok(
    format('SELECT api.initiate_refund(%s, %s, %L)', tests.id('u_user'), tests.id('u_order'), 'Unpaid'),
    'JK409', 'order_not_refundable', 'an unpaid order'
);
SELECT throws_ok(
    format('SELECT api.initiate_refund(%s, %s, %L)', tests.id('u_user'), tests.id('order'), 'Not mine'),
    'JK404', 'order_not_found', 'another user''s order'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
