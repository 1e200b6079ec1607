-- refund_to_send: what the refunds consumer asks of the gateway, read from the rows: while a
-- refund is pending without a gateway refund id, {"send": true, "gateway_payment_id" (its
-- payment's), "amount" (the refund's)}; once the gateway's id is attached, or the refund is
-- final (processed or failed), {"send": false}, so a redelivered message sends nothing. An
-- unknown refund, or a refund asked for under another user, is {"send": false} too.
BEGIN;

SELECT plan(7);

DO $$
DECLARE
    v_user bigint;
BEGIN
    PERFORM tests.make_paid_order();
    v_user := tests.id('user');
    PERFORM tests.set_id('a', (api.initiate_refund(v_user, tests.id('order'), 'A', 25000) ->> 'id')::bigint);
    PERFORM tests.set_id('b', (api.initiate_refund(v_user, tests.id('order'), 'B', 1000) ->> 'id')::bigint);
    PERFORM tests.set_id('c', (api.initiate_refund(v_user, tests.id('order'), 'C', 2000) ->> 'id')::bigint);
    PERFORM tests.set_id('d', (api.initiate_refund(v_user, tests.id('order'), 'D', 3000) ->> 'id')::bigint);
    PERFORM tests.set_json('before', api.refund_to_send(v_user, tests.id('b')));
    PERFORM api.attach_gateway_refund(v_user, tests.id('b'), 'rfnd_ToSend00000001');
    PERFORM api.fail_gateway_refund(v_user, tests.id('c'));
    PERFORM internal.settle_refund(v_user, tests.id('d'), 'processed');
END
$$;

SELECT is(
    api.refund_to_send(tests.id('user'), tests.id('a')),
    jsonb_build_object(
        'send', TRUE, 'gateway_payment_id', tests.value('gateway_payment_id'), 'amount', 25000
    ),
    'a pending refund: send it, with its payment''s gateway id and its amount'
);
SELECT is(
    tests.json('before'),
    jsonb_build_object('send', TRUE, 'gateway_payment_id', tests.value('gateway_payment_id'), 'amount', 1000),
    'another refund of the same payment: its own amount'
);
SELECT is(
    api.refund_to_send(tests.id('user'), tests.id('b')), '{"send": false}'::jsonb,
    'once the gateway''s refund id is attached: nothing to send'
);
SELECT is(
    api.refund_to_send(tests.id('user'), tests.id('c')), '{"send": false}'::jsonb,
    'a failed refund: nothing to send'
);
SELECT is(
    api.refund_to_send(tests.id('user'), tests.id('d')), '{"send": false}'::jsonb,
    'a processed refund: nothing to send'
);
SELECT is(
    api.refund_to_send(tests.make_user(), tests.id('a')), '{"send": false}'::jsonb,
    'asked under another user: nothing'
);
SELECT is(
    api.refund_to_send(tests.id('user'), -1), '{"send": false}'::jsonb, 'an unknown refund: nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
