-- verify_otp: the right code logs in; the first login creates the user (is_new_user true), a
-- later login with a new code finds the same user (is_new_user false). Both phone forms work.
BEGIN;

SELECT plan(14);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_value('code', tests.send_code(tests.value('phone')));
    PERFORM tests.set_id('code_row', (tests.latest_code(tests.value('phone'))).id);
    -- First login with the 10-digit form.
    PERFORM tests.set_json(
        'first', tests.verify(right(tests.value('phone'), 10), tests.value('code'))
    );
END
$$;

SELECT is(tests.error_code(tests.json('first')), NULL, 'the right code is accepted');
SELECT is(tests.json('first') -> 'is_new_user', 'true'::jsonb, 'first login: is_new_user is true');
SELECT is(
    tests.user_count(tests.value('phone')), 1,
    'first login creates one user with the +91 form of the phone'
);
SELECT is(
    tests.json('first') -> 'user',
    jsonb_build_object(
        'id', (tests.user_of(tests.value('phone'))).id, 'phone', tests.value('phone'),
        'name', NULL, 'email', NULL
    ),
    'the answer carries the new user: id, normalised phone, no name, no email'
);
SELECT is(
    tests.code_status(tests.id('code_row')), 'verified', 'the code is marked used'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).verified_at,
    now(),
    'verified_at records when the code was used'
);
SELECT is(
    (tests.user_of(tests.value('phone'))).last_login_at, now(),
    'last_login_at is set'
);

-- A later login, with a new code and the +91 form.
DO $$
BEGIN
    PERFORM tests.age_codes(tests.value('phone'), interval '1 day');
    UPDATE store.users SET last_login_at = now() - interval '1 day'
    WHERE phone = tests.value('phone');
    PERFORM tests.set_json(
        'second', tests.verify(tests.value('phone'), tests.send_code(tests.value('phone')))
    );
END
$$;

SELECT is(tests.error_code(tests.json('second')), NULL, 'a new code logs in again');
SELECT is(tests.json('second') -> 'is_new_user', 'false'::jsonb, 'second login: is_new_user is false');
SELECT is(
    tests.json('second') #> '{user,id}', tests.json('first') #> '{user,id}',
    'second login: the same user id'
);
SELECT is(
    tests.user_count(tests.value('phone')), 1,
    'no second user is created'
);
SELECT is(
    (tests.user_of(tests.value('phone'))).last_login_at, now(),
    'last_login_at moves to the new login'
);

-- A user who already exists (e.g. set up a profile) logs in for the first time with a code.
DO $$
BEGIN
    PERFORM tests.set_value('known_phone', tests.new_phone());
    PERFORM tests.set_id(
        'known', tests.make_user(tests.value('known_phone'), 'Asha Rao', 'asha@example.com')
    );
    PERFORM tests.set_json(
        'known_login',
        tests.verify(tests.value('known_phone'), tests.send_code(right(tests.value('known_phone'), 10)))
    );
END
$$;

SELECT is(
    tests.json('known_login') -> 'is_new_user', 'false'::jsonb,
    'an existing user is not new'
);
SELECT is(
    tests.json('known_login') -> 'user',
    jsonb_build_object(
        'id', tests.id('known'), 'phone', tests.value('known_phone'), 'name', 'Asha Rao',
        'email', 'asha@example.com'
    ),
    'an existing user: id, phone, name and email'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
