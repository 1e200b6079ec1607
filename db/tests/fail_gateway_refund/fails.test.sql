-- fail_gateway_refund and attach_gateway_refund, the two ends of sending a refund (the refunds
-- consumer): a refund the gateway accepted gets its id (once: {"attached": true}, then false);
-- one it refused becomes failed and gives its amount back ({"outcome": "refund_failed"}). The
-- POST /refunds that made it has long been answered, so its Idempotency-Key answer is kept:
-- the same key replays that refund instead of making a second one.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.make_paid_order();
    PERFORM tests.set_id('ok', (api.initiate_refund(tests.id('user'), tests.id('order'), 'Fine', 1000) ->> 'id')::bigint);
    PERFORM tests.set_id('bad', (api.initiate_refund(tests.id('user'), tests.id('order'), 'Refused', 2000, FALSE, 'key-r') ->> 'id')::bigint);
    PERFORM tests.set_json(
        'first', api.attach_gateway_refund(tests.id('user'), tests.id('ok'), 'rfnd_Attached000001')
    );
    PERFORM tests.set_json(
        'second', api.attach_gateway_refund(tests.id('user'), tests.id('ok'), 'rfnd_Attached000002')
    );
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
    tests.json('first') || tests.json('second'), '{"attached": false}'::jsonb,
    'the second attach says it changed nothing'
);
SELECT is(tests.json('first'), '{"attached": true}'::jsonb, 'the first says it attached the id');
SELECT is(
    api.fail_gateway_refund(tests.id('user'), tests.id('bad')), '{"outcome": "refund_failed"}'::jsonb,
    'refused by the gateway'
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
    api.fail_gateway_refund(tests.id('user'), tests.id('bad')),
    '{"outcome": "refund_already_final"}'::jsonb,
    'a second refusal (a redelivered message) changes nothing'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.idempotency_keys
        WHERE user_id = tests.id('user') AND key = 'key-r'
    ),
    1,
    'the refund''s stored answer is kept'
);
SELECT is(
    (
        api.initiate_refund(tests.id('user'), tests.id('order'), 'Refused', 2000, FALSE, 'key-r') ->> 'id'
    )::bigint,
    tests.id('bad'), 'the same key replays that refund, no second one is made'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
