-- send_otp: a fresh 6-digit code valid 5 minutes, resend allowed after 30 s; only an HMAC of the
-- code is stored, under the normalised phone.
BEGIN;

SELECT plan(14);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    -- The 10-digit form: the row must carry the +91 form.
    PERFORM tests.set_json(
        'sent', api.send_otp(right(tests.value('phone'), 10), tests.otp_key(), '203.0.113.7')
    );
    PERFORM tests.set_value('plus_phone', tests.new_phone());
    PERFORM tests.set_json('plus_sent', api.send_otp(tests.value('plus_phone'), tests.otp_key()));
END
$$;

SELECT matches(tests.json('sent') ->> 'otp', '^[0-9]{6}$', 'the code is exactly 6 digits');
SELECT is(jsonb_typeof(tests.json('sent') -> 'otp'), 'string', 'the code is a string (keeps zeros)');
SELECT is(tests.json('sent') -> 'expires_in', '300'::jsonb, 'expires_in is 300 seconds');
SELECT is(tests.json('sent') -> 'resend_after', '30'::jsonb, 'resend_after is 30 seconds');

SELECT is(
    tests.code_count(tests.value('phone')),
    1,
    'one code row, stored under the +91 form of a 10-digit phone'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).code_hash,
    internal.otp_hash(tests.value('phone'), tests.json('sent') ->> 'otp', tests.otp_key()),
    'the stored hash is otp_hash(normalised phone, code, key)'
);
SELECT is(
    octet_length((tests.latest_code(tests.value('phone'))).code_hash), 32,
    'the stored hash is 32 bytes'
);
SELECT is(
    to_jsonb(tests.latest_code(tests.value('phone'))) - 'id' - 'code_hash' - 'created_at'
    - 'expires_at',
    jsonb_build_object(
        'phone', tests.value('phone'), 'status', 'pending', 'attempts', 0,
        'verified_at', NULL, 'client_ip', '203.0.113.7'
    ),
    'every other column is known: the code itself is stored nowhere in the row'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).created_at, now(),
    'created_at is the time of sending'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).expires_at, now() + interval '5 minutes',
    'the code expires 5 minutes after it was sent'
);

SELECT matches(tests.json('plus_sent') ->> 'otp', '^[0-9]{6}$', '+91 form: a 6-digit code');
SELECT is(
    (tests.latest_code(tests.value('plus_phone'))).code_hash,
    internal.otp_hash(tests.value('plus_phone'), tests.json('plus_sent') ->> 'otp', tests.otp_key()),
    '+91 form: the stored hash matches the code'
);
SELECT is(
    (tests.latest_code(tests.value('plus_phone'))).client_ip, NULL,
    'no client address given, none stored'
);

SELECT lives_ok(
    format(
        $$SELECT api.send_otp(%L, %L::bytea)$$,
        tests.new_phone(), convert_to('sixteen byte key', 'UTF8')
    ),
    'a 16-byte key is long enough'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
