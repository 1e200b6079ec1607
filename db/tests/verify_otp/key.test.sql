-- verify_otp and the OTP key: a code only checks out under the key it was sent with, and a
-- missing (NULL) key must never let a code through.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_value('code', tests.send_code(tests.value('phone')));
    PERFORM tests.set_json(
        'other_key',
        api.verify_otp(
            tests.value('phone'), tests.value('code'), sha256(convert_to('other', 'UTF8')),
            tests.refresh_key()
        )
    );
END
$$;

SELECT is(
    tests.error_code(tests.json('other_key')), 'invalid_otp',
    'the right code checked with another key: invalid_otp'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).attempts, 1::smallint,
    'and it counts as a wrong try'
);

-- A NULL key (e.g. a missing setting): a wrong code must be refused, raised or returned.
DO $$
BEGIN
    PERFORM tests.set_value('null_phone', tests.new_phone());
    PERFORM tests.set_value('null_code', tests.send_code(tests.value('null_phone')));
    BEGIN
        PERFORM tests.set_json(
            'null_key',
            api.verify_otp(
                tests.value('null_phone'), tests.wrong_code(tests.value('null_code')), NULL,
                tests.refresh_key()
            )
        );
    EXCEPTION WHEN OTHERS THEN
        PERFORM tests.set_json('null_key', jsonb_build_object('raised', SQLSTATE));
    END;
END
$$;

SELECT ok(
    tests.json('null_key') ? 'raised' OR tests.json('null_key') ? 'error',
    'a wrong code checked with a NULL key is refused'
);
SELECT ok(
    NOT tests.json('null_key') ? 'user', 'a wrong code checked with a NULL key answers no user'
);
SELECT is(
    tests.user_count(tests.value('null_phone')), 0,
    'a wrong code checked with a NULL key creates no user'
);
SELECT is(
    (tests.latest_code(tests.value('null_phone'))).status, 'pending',
    'a wrong code checked with a NULL key does not use up the code'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
