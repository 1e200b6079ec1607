-- verify_otp: a wrong code answers invalid_otp (401) and counts the try; the 5th wrong try
-- answers otp_attempts_exceeded (429) and locks the code, after which even the right code is
-- refused. These are returned (internal.problem), not raised, so the counted try is committed.
BEGIN;

SELECT plan(17);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_value('code', tests.send_code(tests.value('phone')));
    PERFORM tests.set_value('wrong', tests.wrong_code(tests.value('code')));
    PERFORM tests.set_json('try1', tests.verify(tests.value('phone'), tests.value('wrong')));
END
$$;

SELECT isnt(tests.value('wrong'), tests.value('code'), 'setup: the wrong code differs');
SELECT is(tests.error_code(tests.json('try1')), 'invalid_otp', '1st wrong code: invalid_otp');
SELECT is(tests.error_status(tests.json('try1')), 401, '1st wrong code: status 401');
SELECT is(
    (tests.latest_code(tests.value('phone'))).attempts, 1::smallint,
    '1st wrong code: attempts is 1'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).status, 'pending',
    '1st wrong code: the code is still usable'
);

DO $$
BEGIN
    FOR i IN 2..4 LOOP
        PERFORM tests.set_json('try' || i, tests.verify(tests.value('phone'), tests.value('wrong')));
    END LOOP;
END
$$;

SELECT is(tests.error_code(tests.json('try4')), 'invalid_otp', '4th wrong code: still invalid_otp');
SELECT is(
    (tests.latest_code(tests.value('phone'))).attempts, 4::smallint,
    '4th wrong code: attempts is 4'
);

DO $$
BEGIN
    PERFORM tests.set_json('try5', tests.verify(tests.value('phone'), tests.value('wrong')));
    PERFORM tests.set_json('right', tests.verify(tests.value('phone'), tests.value('code')));
    PERFORM tests.set_json('again', tests.verify(tests.value('phone'), tests.value('wrong')));
END
$$;

SELECT is(
    tests.error_code(tests.json('try5')), 'otp_attempts_exceeded',
    '5th wrong code: otp_attempts_exceeded'
);
SELECT is(tests.error_status(tests.json('try5')), 429, '5th wrong code: status 429');
SELECT is(
    (tests.latest_code(tests.value('phone'))).status, 'locked', '5th wrong code: the code is locked'
);
SELECT is(
    tests.error_code(tests.json('right')), 'otp_attempts_exceeded',
    'a locked code refuses even the right code'
);
SELECT is(tests.error_status(tests.json('right')), 429, 'the right code after locking: 429');
SELECT is(
    tests.error_code(tests.json('again')), 'otp_attempts_exceeded',
    'further wrong codes keep answering otp_attempts_exceeded'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).attempts, 5::smallint,
    'attempts stop at 5'
);
SELECT is(
    tests.user_count(tests.value('phone')), 0,
    'no user was created'
);

-- A new code after the lock works.
DO $$
BEGIN
    PERFORM tests.age_codes(tests.value('phone'), interval '31 seconds');
    PERFORM tests.set_json(
        'fresh', tests.verify(tests.value('phone'), tests.send_code(tests.value('phone')))
    );
END
$$;

SELECT is(tests.error_code(tests.json('fresh')), NULL, 'a new code after a lock logs in');
SELECT is(tests.json('fresh') -> 'is_new_user', 'true'::jsonb, 'and creates the user');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
