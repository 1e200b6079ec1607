-- send_otp rate limits per phone: 30 s between codes, at most 5 codes in any hour; both forms of
-- a number share the limits. Time passes by moving the phone's codes into the past.
BEGIN;

SELECT plan(14);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.send_code(right(tests.value('phone'), 10));
END
$$;

-- Cooldown.
SELECT throws_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, right(tests.value('phone'), 10)),
    'JK429', 'otp_rate_limited',
    'a second code at once is refused'
);
SELECT throws_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, tests.value('phone')),
    'JK429', 'otp_rate_limited',
    'the +91 form of the same number shares the cooldown'
);
SELECT is(tests.age_codes(tests.value('phone'), interval '29 seconds'), 1, 'setup: 29 s pass');
SELECT throws_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, tests.value('phone')),
    'JK429', 'otp_rate_limited',
    '29 s after a code another is still refused'
);
SELECT is(tests.age_codes(tests.value('phone'), interval '2 seconds'), 1, 'setup: 31 s have passed');
SELECT lives_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, tests.value('phone')),
    'after 30 s a new code is sent'
);
SELECT is(
    tests.code_count(tests.value('phone')),
    2,
    'two codes were stored, none for the refused requests'
);
SELECT throws_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, tests.value('phone')),
    'JK429', 'otp_rate_limited',
    'the cooldown starts again from the newest code'
);

-- Hourly limit: five codes, 31 s apart.
DO $$
BEGIN
    PERFORM tests.set_value('hourly', tests.new_phone());
    FOR i IN 1..5 LOOP
        PERFORM tests.age_codes(tests.value('hourly'), interval '31 seconds');
        PERFORM tests.send_code(tests.value('hourly'));
    END LOOP;
    PERFORM tests.age_codes(tests.value('hourly'), interval '31 seconds');
END
$$;

SELECT is(
    tests.code_count(tests.value('hourly')),
    5,
    'setup: five codes sent within the hour, past the cooldown'
);
SELECT throws_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, tests.value('hourly')),
    'JK429', 'otp_rate_limited',
    'a sixth code within an hour is refused'
);
SELECT throws_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, right(tests.value('hourly'), 10)),
    'JK429', 'otp_rate_limited',
    'the 10-digit form shares the hourly limit'
);

-- The window slides: once the oldest code is more than an hour old, one more may be sent.
UPDATE store.otp_verifications
SET created_at = now() - interval '61 minutes', expires_at = now() - interval '56 minutes'
WHERE id = (
    SELECT min(o.id)
    FROM store.otp_verifications AS o
    WHERE o.phone = tests.value('hourly')
);

SELECT lives_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, tests.value('hourly')),
    'a code is sent once the oldest of the five is more than an hour old'
);
SELECT is(tests.age_codes(tests.value('hourly'), interval '31 seconds'), 6, 'setup: 31 s pass');
SELECT throws_ok(
    format($$SELECT api.send_otp(%L, tests.otp_key())$$, tests.value('hourly')),
    'JK429', 'otp_rate_limited',
    'with five codes in the last hour again, the next is refused'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
