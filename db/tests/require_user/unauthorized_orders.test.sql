-- The order, payment and refund procedures refuse a closed account (JK401 unauthorized)
-- before anything else, bad input included.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('closed', tests.make_user(p_deleted_at => now() - interval '1 minute'));
END
$$;

SELECT throws_ok(
    format('SELECT api.create_order(%s, 1)', tests.id('closed')),
    'JK401', 'unauthorized', 'create_order'
);
SELECT throws_ok(
    format('SELECT api.list_orders(%s)', tests.id('closed')),
    'JK401', 'unauthorized', 'list_orders'
);
SELECT throws_ok(
    format('SELECT api.get_order(%s, 1)', tests.id('closed')),
    'JK401', 'unauthorized', 'get_order'
);
SELECT throws_ok(
    format('SELECT api.cancel_order(%s, 1, %L)', tests.id('closed'), repeat('x', 501)),
    'JK401', 'unauthorized', 'cancel_order, even with a bad reason'
);
SELECT throws_ok(
    format($$SELECT api.update_order_status(%s, 1, 'packed', %L)$$, tests.id('closed'), repeat('x', 501)),
    'JK401', 'unauthorized', 'update_order_status'
);
SELECT throws_ok(
    format($$SELECT api.register_payment_attempt(%s, 1, 'k')$$, tests.id('closed')),
    'JK401', 'unauthorized', 'register_payment_attempt'
);
SELECT throws_ok(
    format($$SELECT api.verify_payment(%s, 'order_X', 'pay_X', 'x', 'dev_key_secret')$$, tests.id('closed')),
    'JK401', 'unauthorized', 'verify_payment'
);
SELECT throws_ok(
    format('SELECT api.get_payment(%s, 1)', tests.id('closed')),
    'JK401', 'unauthorized', 'get_payment'
);
SELECT throws_ok(
    format($$SELECT api.initiate_refund(%s, 1, '')$$, tests.id('closed')),
    'JK401', 'unauthorized', 'initiate_refund, even with a blank reason'
);
SELECT throws_ok(
    format('SELECT api.list_refunds(%s, 1)', tests.id('closed')),
    'JK401', 'unauthorized', 'list_refunds'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
