-- get_payment: the payment of the user's order with its attempts, oldest first; no payment
-- yet, another user's order or an unknown one raise JK404 payment_not_found.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.make_paid_order('a_');
    PERFORM tests.make_unpaid_order('b_');
END
$$;

SELECT is(
    tests.pick(
        api.get_payment(tests.id('a_user'), tests.id('a_order')),
        ARRAY['order_id', 'status', 'amount', 'currency', 'amount_captured', 'amount_refunded']
    ),
    jsonb_build_object(
        'order_id', tests.id('a_order'), 'status', 'captured', 'amount', 120000,
        'currency', 'INR', 'amount_captured', 120000, 'amount_refunded', 0
    ),
    'the payment'
);
SELECT is(
    (
        SELECT array_agg(a ->> 'source' || ':' || (a ->> 'status'))
        FROM jsonb_array_elements(api.get_payment(tests.id('a_user'), tests.id('a_order')) -> 'attempts') AS a
    ),
    ARRAY['initiate:created', 'verify:captured'], 'with its attempts, oldest first'
);
SELECT throws_ok(
    format('SELECT api.get_payment(%s, %s)', tests.id('b_user'), tests.id('b_order')),
    'JK404', 'payment_not_found', 'no payment yet'
);
SELECT throws_ok(
    format('SELECT api.get_payment(%s, %s)', tests.id('b_user'), tests.id('a_order')),
    'JK404', 'payment_not_found', 'another user''s'
);
SELECT throws_ok(
    format('SELECT api.get_payment(%s, 999999999)', tests.id('b_user')),
    'JK404', 'payment_not_found', 'an unknown order'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
