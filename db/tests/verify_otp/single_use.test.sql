-- verify_otp: a code logs in once; a used or superseded code, or a phone with no code, answers
-- invalid_otp (401).
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_value('code', tests.send_code(tests.value('phone')));
    PERFORM tests.set_json('first', tests.verify(tests.value('phone'), tests.value('code')));
    PERFORM tests.set_json('reuse', tests.verify(tests.value('phone'), tests.value('code')));
END
$$;

SELECT is(tests.error_code(tests.json('first')), NULL, 'setup: the code logs in once');
SELECT is(tests.error_code(tests.json('reuse')), 'invalid_otp', 'a used code: invalid_otp');
SELECT is(tests.error_status(tests.json('reuse')), 401, 'a used code: status 401');
SELECT is(
    (tests.latest_code(tests.value('phone'))).status, 'verified', 'the used code stays verified'
);

-- Superseded: the old code stops working, the new one works.
DO $$
BEGIN
    PERFORM tests.set_value('phone2', tests.new_phone());
    PERFORM tests.set_value('old', tests.send_code(tests.value('phone2')));
    PERFORM tests.age_codes(tests.value('phone2'), interval '31 seconds');
    PERFORM tests.set_value('new', tests.send_code(tests.value('phone2')));
    -- The two codes may coincide by chance (1 in a million): then there is no old code to try.
    IF tests.value('old') = tests.value('new') THEN
        PERFORM tests.set_value('old', tests.wrong_code(tests.value('new')));
    END IF;
    PERFORM tests.set_json('old_try', tests.verify(tests.value('phone2'), tests.value('old')));
    PERFORM tests.set_json('new_try', tests.verify(tests.value('phone2'), tests.value('new')));
END
$$;

SELECT is(
    tests.error_code(tests.json('old_try')), 'invalid_otp', 'a superseded code: invalid_otp'
);
SELECT is(tests.error_status(tests.json('old_try')), 401, 'a superseded code: status 401');
SELECT is(tests.error_code(tests.json('new_try')), NULL, 'the newer code still logs in');

-- Never sent a code.
SELECT is(
    tests.error_code(tests.verify(tests.new_phone(), '123456')), 'invalid_otp',
    'a phone that was sent no code: invalid_otp'
);
SELECT is(
    tests.error_status(tests.verify(tests.new_phone(), '123456')), 401,
    'a phone that was sent no code: status 401'
);
SELECT is(
    tests.user_count(tests.value('phone')), 1,
    'reusing a code created no second user'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
