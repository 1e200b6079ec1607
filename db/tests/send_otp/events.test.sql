-- send_otp emits one otp.requested event per code sent, in its transaction, for the otp_sms
-- consumer: {"phone" (normalised), "code" (the code answered), "expires_at" (the code's)},
-- about no order. A refused request (rate limited, JK429; invalid phone, JK422) emits nothing.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    -- The ten-digit form: the event carries the normalised +91 number.
    PERFORM tests.set_json('sent', api.send_otp(right(tests.value('phone'), 10), tests.otp_key()));
END
$$;

SELECT is(
    tests.otp_events(tests.value('phone')),
    jsonb_build_array(jsonb_build_object(
        'id', tests.otp_events(tests.value('phone')) #> '{0,id}', 'order_id', NULL, 'published_at', NULL,
        'payload', jsonb_build_object(
            'phone', tests.value('phone'),
            'code', tests.json('sent') ->> 'otp',
            'expires_at', (tests.latest_code(tests.value('phone'))).expires_at
        )
    )),
    'one otp.requested: the normalised phone, the code sent and its expiry; no order'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).expires_at, now() + interval '5 minutes',
    'the expiry is the code''s five minutes'
);
SELECT throws_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, tests.value('phone')),
    'JK429', 'otp_rate_limited', 'a second code at once is refused'
);
SELECT throws_ok(
    $$SELECT api.send_otp('12345', tests.otp_key())$$,
    'JK422', 'validation_error', 'an invalid phone is refused'
);
SELECT is(
    (
        jsonb_array_length(tests.otp_events(tests.value('phone'))),
        (
            SELECT count(*) FROM store.outbox_events AS e
            WHERE e.topic = 'otp.requested' AND e.payload ->> 'phone' LIKE '%12345'
        )
    )::text,
    '(1,0)', 'refused requests emit nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
