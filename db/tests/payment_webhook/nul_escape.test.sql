-- payment_webhook with a signed body whose JSON holds the escape \u0000 (U+0000, which jsonb
-- cannot store): the signature is checked over the raw text, the event is recorded with each
-- \u0000 escape stored as U+FFFD and handled like any other: a payment.captured captures, a
-- payment.failed records the gateway's error, the same event id again (or, without one, the
-- same raw body) is a duplicate. An escaped backslash followed by the letters u0000 (\\u0000)
-- is no NUL and stays as it is. An unsigned body with \u0000 is still invalid_signature.
BEGIN;

SELECT plan(14);

DO $$
DECLARE
    v_body text;
    v_signature text;
BEGIN
    -- captured: \u0000 in error_description (twice in a row too) and in notes, beside a \\u0000
    -- (text) and a \\\u0000 (a backslash, then U+0000).
    PERFORM tests.make_unpaid_order('c_');
    PERFORM tests.set_value('c_event', tests.payment_event(
        'payment.captured', tests.start_payment(tests.id('c_user'), tests.id('c_order')),
        'pay_NulEscape000001', 120000
    )::text);
    v_body := replace(
        replace(
            tests.value('c_event'),
            '"error_description": null', '"error_description": "Bank\u0000said \u0000\u0000ok"'
        ),
        '"entity": "payment"', '"notes": {"memo": "a\\u0000b \\\u0000c"}, "entity": "payment"'
    );
    PERFORM tests.set_value('c_body', v_body);
    v_signature := encode(public.hmac(
        convert_to(v_body, 'UTF8'), convert_to(tests.webhook_secret(), 'UTF8'), 'sha256'
    ), 'hex');
    PERFORM tests.set_json('captured', api.payment_webhook(
        v_body, v_signature, 'evt_nul_capture', tests.webhook_secret()
    ));
    PERFORM tests.set_json('duplicate', api.payment_webhook(
        v_body, v_signature, 'evt_nul_capture', tests.webhook_secret()
    ));

    -- failed, delivered without an event id (twice): deduped on the SHA-256 of the raw body.
    PERFORM tests.make_unpaid_order('f_');
    v_body := replace(
        tests.payment_event(
            'payment.failed', tests.start_payment(tests.id('f_user'), tests.id('f_order')),
            'pay_NulEscape000002', 120000
        )::text,
        '"Payment declined"', '"Card\u0000declined"'
    );
    PERFORM tests.set_value('f_body', v_body);
    v_signature := encode(public.hmac(
        convert_to(v_body, 'UTF8'), convert_to(tests.webhook_secret(), 'UTF8'), 'sha256'
    ), 'hex');
    PERFORM tests.set_json('failed', api.payment_webhook(
        v_body, v_signature, NULL, tests.webhook_secret()
    ));
    PERFORM tests.set_json('failed_again', api.payment_webhook(
        v_body, v_signature, NULL, tests.webhook_secret()
    ));

    -- unsigned: another order's capture with \u0000, never delivered with a good signature.
    PERFORM tests.make_unpaid_order('u_');
    PERFORM tests.set_value('u_body', replace(
        tests.payment_event(
            'payment.captured', tests.start_payment(tests.id('u_user'), tests.id('u_order')),
            'pay_NulEscape000003', 120000
        )::text,
        '"error_description": null', '"error_description": "x\u0000y"'
    ));
END
$$;

SELECT throws_ok(
    format('SELECT %L::jsonb', tests.value('c_body')),
    '22P05', NULL, 'the body as received cannot be cast to jsonb (U+0000)'
);
SELECT is(
    tests.json('captured'),
    '{"status": "processed", "event_id": "evt_nul_capture", "event": "payment.captured",
      "outcome": "captured"}'::jsonb,
    'a signed payment.captured with \u0000: processed, captured'
);
SELECT is(
    ((tests.order_row(tests.id('c_order'))).status, (tests.payment_row(tests.id('c_order'))).status)::text,
    '(confirmed,captured)', 'the payment is captured, the order confirmed'
);
SELECT is(
    (
        SELECT e.payload #>> '{payload,payment,entity,error_description}' FROM store.webhook_events AS e
        WHERE e.event_id = 'evt_nul_capture'
    ),
    'Bank' || chr(65533) || 'said ' || chr(65533) || chr(65533) || 'ok',
    'each \u0000 escape is stored as U+FFFD, also two in a row'
);
SELECT is(
    (
        SELECT e.payload #>> '{payload,payment,entity,notes,memo}' FROM store.webhook_events AS e
        WHERE e.event_id = 'evt_nul_capture'
    ),
    'a' || chr(92) || 'u0000b ' || chr(92) || chr(65533) || 'c',
    '\\u0000 stays the text \u0000; \\\u0000 is a backslash, then U+FFFD'
);
SELECT is(
    (
        SELECT (e.payload #> '{payload,payment,entity}') - 'error_description' - 'notes'
        FROM store.webhook_events AS e
        WHERE e.event_id = 'evt_nul_capture'
    ),
    (tests.value('c_event')::jsonb #> '{payload,payment,entity}') - 'error_description',
    'the rest of the payment entity is stored as sent'
);
SELECT is(
    tests.json('duplicate'),
    '{"status": "duplicate", "event_id": "evt_nul_capture", "event": "payment.captured",
      "outcome": "captured"}'::jsonb,
    'the same event id again: a duplicate'
);
SELECT is(
    (
        (
            SELECT count(*)::integer FROM store.webhook_events AS e
            WHERE e.event_id = 'evt_nul_capture'
        ),
        tests.attempts(tests.id('c_order'))
    )::text,
    '(1,"{initiate:created,webhook:captured}")', 'recorded once, captured once'
);
SELECT is(
    tests.json('failed'),
    jsonb_build_object(
        'status', 'processed', 'event', 'payment.failed', 'outcome', 'payment_failed',
        'event_id',
        'body:' || encode(public.digest(convert_to(tests.value('f_body'), 'UTF8'), 'sha256'), 'hex')
    ),
    'a payment.failed with \u0000 and no event id: processed under the SHA-256 of the raw body'
);
SELECT is(
    (
        SELECT a.error_description FROM store.payment_attempts AS a
        WHERE a.payment_id = (tests.payment_row(tests.id('f_order'))).id AND a.status = 'failed'
    ),
    'Card' || chr(65533) || 'declined', 'the gateway''s error is recorded with U+FFFD'
);
SELECT is(
    tests.json('failed_again') ->> 'status', 'duplicate', 'the same raw body again: a duplicate'
);
SELECT throws_ok(
    format(
        'SELECT api.payment_webhook(%L, %L, %L, %L)',
        tests.value('u_body'), internal.hmac_sha256_hex(tests.value('u_body'), 'other_secret'),
        'evt_nul_unsigned', tests.webhook_secret()
    ),
    'JK400', 'invalid_signature', 'a body with \u0000 signed with another secret: invalid_signature'
);
SELECT throws_ok(
    format(
        'SELECT api.payment_webhook(%L, NULL, %L, %L)',
        tests.value('u_body'), 'evt_nul_unsigned', tests.webhook_secret()
    ),
    'JK400', 'invalid_signature', 'a body with \u0000 and no signature: invalid_signature'
);
SELECT is(
    (
        (
            SELECT count(*)::integer FROM store.webhook_events AS e
            WHERE e.event_id = 'evt_nul_unsigned'
        ),
        (tests.order_row(tests.id('u_order'))).status
    )::text,
    '(0,pending_payment)', 'nothing recorded, the order unchanged'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
