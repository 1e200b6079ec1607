-- verify_payment's events: a verified payment emits one order.paid (its transaction confirms
-- the order, status confirmed); verifying again emits nothing more; a bad signature (a returned
-- problem, whose statement commits) emits nothing.
BEGIN;

SELECT plan(3);

DO $$
DECLARE
    v_gw text;
    v_pay text := tests.gateway_id('pay');
BEGIN
    PERFORM tests.make_unpaid_order('v_');
    v_gw := tests.start_payment(tests.id('v_user'), tests.id('v_order'));
    PERFORM api.verify_payment(
        tests.id('v_user'), v_gw, v_pay, tests.checkout_signature(v_gw, v_pay), tests.key_secret()
    );
    PERFORM api.verify_payment(
        tests.id('v_user'), v_gw, v_pay, tests.checkout_signature(v_gw, v_pay), tests.key_secret()
    );

    PERFORM tests.make_unpaid_order('b_');
    v_gw := tests.start_payment(tests.id('b_user'), tests.id('b_order'));
    PERFORM tests.set_json('bad', api.verify_payment(
        tests.id('b_user'), v_gw, v_pay, upper(tests.checkout_signature(v_gw, v_pay)), tests.key_secret()
    ));
END
$$;

SELECT is(
    tests.order_events(tests.id('v_order')), ARRAY['order.placed', 'order.paid'],
    'a verified payment: one order.paid, none for verifying again'
);
SELECT is(
    tests.event_payloads(tests.id('v_order'), 'order.paid') -> 0 ->> 'status', 'confirmed',
    'the order as paid: confirmed'
);
SELECT is(
    (tests.error_code(tests.json('bad')), tests.order_events(tests.id('b_order')))::text,
    '(invalid_signature,{order.placed})', 'a bad signature is answered and emits nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
