-- verify_otp: a code older than 5 minutes raises JK401 otp_expired, even when right; it is still
-- accepted just before.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_value('code', tests.send_code(tests.value('phone')));
    PERFORM tests.age_codes(tests.value('phone'), interval '5 minutes 1 second');
END
$$;

SELECT ok((tests.latest_code(tests.value('phone'))).expires_at < now(), 'setup: the code expired');
SELECT throws_ok(
    format($$SELECT tests.verify(%L, %L)$$, tests.value('phone'), tests.value('code')),
    'JK401', 'otp_expired',
    'an expired right code raises otp_expired'
);
SELECT throws_ok(
    format(
        $$SELECT tests.verify(%L, %L)$$, tests.value('phone'), tests.wrong_code(tests.value('code'))
    ),
    'JK401', 'otp_expired',
    'an expired code with a wrong guess raises otp_expired too'
);
SELECT is(
    tests.user_count(tests.value('phone')), 0,
    'no user was created'
);

-- Exactly at expires_at the code is refused.
DO $$
BEGIN
    PERFORM tests.set_value('edge', tests.new_phone());
    PERFORM tests.set_value('edge_code', tests.send_code(tests.value('edge')));
    PERFORM tests.age_codes(tests.value('edge'), interval '5 minutes');
END
$$;

SELECT throws_ok(
    format($$SELECT tests.verify(%L, %L)$$, tests.value('edge'), tests.value('edge_code')),
    'JK401', 'otp_expired',
    'at exactly 5 minutes the code has expired'
);

-- One second before it is accepted.
DO $$
BEGIN
    PERFORM tests.set_value('fresh', tests.new_phone());
    PERFORM tests.set_value('fresh_code', tests.send_code(tests.value('fresh')));
    PERFORM tests.age_codes(tests.value('fresh'), interval '4 minutes 59 seconds');
END
$$;

SELECT is(
    tests.error_code(tests.verify(tests.value('fresh'), tests.value('fresh_code'))), NULL,
    'at 4:59 the code still logs in'
);
SELECT is(
    (tests.latest_code(tests.value('fresh'))).status, 'verified', 'and is marked used'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
