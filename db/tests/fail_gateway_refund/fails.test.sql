-- fail_gateway_refund and attach_gateway_refund, the two ends of sending a refund: a refund the
-- gateway accepted gets its id (once); one it refused becomes failed, gives its amount back, and
-- the Idempotency-Key answer stored for it is deleted, so the same key tries again.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.make_paid_order();
    PERFORM tests.set_id('ok', (api.initiate_refund(tests.id('user'), tests.id('order'), 'Fine', 1000) ->> 'id')::bigint);
    PERFORM tests.set_id('bad', (api.initiate_refund(tests.id('user'), tests.id('order'), 'Refused', 2000, FALSE, 'key-r') ->> 'id')::bigint);
    PERFORM api.attach_gateway_refund(tests.id('user'), tests.id('ok'), 'rfnd_Attached000001');
    PERFORM api.attach_gateway_refund(tests.id('user'), tests.id('ok'), 'rfnd_Attached000002');
END
$$;

SELECT is(
    (
        SELECT gateway_refund_id FROM store.refunds
        WHERE id = tests.id('ok')
    ), 'rfnd_Attached000001',
    'the gateway''s refund id is stored once'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.idempotency_keys
        WHERE user_id = tests.id('user') AND key = 'key-r'
    ),
    1,
    'the refund''s answer is stored under its key'
);
SELECT is(
    api.fail_gateway_refund(tests.id('user'), tests.id('bad')), 'refund_failed', 'refused by the gateway'
);
SELECT is(
    (
        (
            SELECT status FROM store.refunds
            WHERE id = tests.id('bad')
        ), (tests.payment_row(tests.id('order'))
        ).amount_refunded
    )::text,
    '(failed,1000)', 'failed, its amount given back'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.idempotency_keys
        WHERE user_id = tests.id('user') AND key = 'key-r'
    ),
    0,
    'and its stored answer deleted'
);
SELECT isnt(
    (
        api.initiate_refund(tests.id('user'), tests.id('order'), 'Refused', 2000, FALSE, 'key-r') ->> 'id'
    )::bigint,
    tests.id('bad'), 'the same key makes a new refund'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
