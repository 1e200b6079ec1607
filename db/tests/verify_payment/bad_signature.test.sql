-- verify_payment with a bad signature returns the problem 400 invalid_signature (returned, so
-- that the rejected attempt it records is kept) and leaves the order and payment as they were.
-- A signature made with another key, for another gateway order id (even one of the user's own
-- other orders), or in upper case is bad. Another user's or an unknown gateway order id raises
-- JK404 payment_not_found.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order();
    PERFORM tests.set_value('gateway_order_id', tests.start_payment(tests.id('user'), tests.id('order')));
    PERFORM tests.make_unpaid_order('other_', p_user_id => tests.id('user'));
    PERFORM tests.set_value('other_gateway_order_id', tests.start_payment(tests.id('user'), tests.id('other_order')));
    PERFORM tests.set_value('pay', tests.gateway_id('pay'));
END
$$;

CREATE TEMPORARY TABLE tried AS
SELECT
    s.label,
    api.verify_payment(
        tests.id('user'), tests.value('gateway_order_id'), tests.value('pay'), s.signature, tests.key_secret()
    ) AS answer
FROM (
    VALUES
    ('another key', encode(public.hmac(
        convert_to(tests.value('gateway_order_id') || '|' || tests.value('pay'), 'UTF8'),
        convert_to('not_the_secret', 'UTF8'), 'sha256'
    ), 'hex')),
    ('another order', tests.checkout_signature(tests.value('other_gateway_order_id'), tests.value('pay'))),
    ('upper case', upper(tests.checkout_signature(tests.value('gateway_order_id'), tests.value('pay')))),
    ('empty', '')
) AS s (label, signature);

SELECT is(
    (SELECT array_agg(DISTINCT tests.error_code(answer) || '/' || tests.error_status(answer)) FROM tried),
    ARRAY['invalid_signature/400'], 'every bad signature: 400 invalid_signature'
);
SELECT is((tests.order_row(tests.id('order'))).status, 'pending_payment', 'the order is unchanged');
SELECT is((tests.payment_row(tests.id('order'))).status, 'created', 'the payment is unchanged');
SELECT is(tests.on_hand(tests.id('product')), 3, 'nothing sold');
SELECT is(
    tests.attempts(tests.id('order')),
    ARRAY['initiate:created', 'verify:rejected', 'verify:rejected', 'verify:rejected', 'verify:rejected'],
    'each try is recorded as rejected'
);
SELECT is(
    (
        SELECT array_agg(DISTINCT a.error_code) FROM store.payment_attempts AS a
        WHERE a.payment_id = (tests.payment_row(tests.id('order'))).id AND a.status = 'rejected'
    ),
    ARRAY['invalid_signature'], 'with the reason'
);
SELECT throws_ok(
    format(
        $$SELECT api.verify_payment(%s, %L, 'pay_X', 'x', 'dev_key_secret')$$,
        tests.make_user(), tests.value('gateway_order_id')
    ),
    'JK404', 'payment_not_found', 'another user''s payment'
);
SELECT throws_ok(
    format(
        $$SELECT api.verify_payment(%s, 'order_Unknown0000001', 'pay_X', 'x', 'dev_key_secret')$$,
        tests.id('user')
    ),
    'JK404', 'payment_not_found', 'an unknown gateway order id'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
