-- payment_webhook checks the signature over the raw body before anything else: a body signed
-- with another secret, a body changed after signing (even only its spacing), or no signature
-- raise JK400 invalid_signature and record nothing. The body is not even parsed before: a bad
-- signature on a body that is not JSON is still invalid_signature.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order();
    PERFORM tests.set_value('body', tests.payment_event('payment.captured',
        tests.start_payment(tests.id('user'), tests.id('order')), 'pay_WebhookSig00001', 120000)::text);
    PERFORM tests.set_value('good', internal.hmac_sha256_hex(tests.value('body'), tests.webhook_secret()));
END
$$;

PREPARE deliver (text, text) AS SELECT api.payment_webhook($1, $2, 'evt_sigtest', 'dev_webhook_secret');

SELECT throws_ok(
    format(
        'EXECUTE deliver(%L, %L)',
        tests.value('body'),
        internal.hmac_sha256_hex(tests.value('body'), 'other_secret')
    ),
    'JK400', 'invalid_signature', 'signed with another secret'
);
SELECT throws_ok(
    format('EXECUTE deliver(%L, %L)', replace(tests.value('body'), '120000', '120001'), tests.value('good')),
    'JK400', 'invalid_signature', 'a body changed after signing'
);
SELECT throws_ok(
    format('EXECUTE deliver(%L, %L)', replace(tests.value('body'), ', ', ','), tests.value('good')),
    'JK400', 'invalid_signature', 'the same JSON with other spacing: the raw bytes are signed'
);
SELECT throws_ok(
    format('EXECUTE deliver(%L, NULL)', tests.value('body')),
    'JK400', 'invalid_signature', 'no signature'
);
SELECT throws_ok(
    format('EXECUTE deliver(%L, %L)', 'not json', tests.value('good')),
    'JK400', 'invalid_signature', 'checked before the body is parsed'
);
SELECT
    is((
        SELECT count(*)::integer FROM store.webhook_events
        WHERE event_id = 'evt_sigtest'
    ), 0, 'nothing recorded');
SELECT is((tests.order_row(tests.id('order'))).status, 'pending_payment', 'the order is unchanged');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
