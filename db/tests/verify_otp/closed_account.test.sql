-- verify_otp: the right code for a closed account (deleted_at set) raises JK401 unauthorized.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_id(
        'user', tests.make_user(tests.value('phone'), p_deleted_at => now() - interval '1 day')
    );
END
$$;

SELECT lives_ok(
    format($$SELECT tests.set_value('code', tests.send_code(%L))$$, tests.value('phone')),
    'a closed account is sent a code like any phone'
);
SELECT throws_ok(
    format($$SELECT tests.verify(%L, %L)$$, tests.value('phone'), tests.value('code')),
    'JK401', 'unauthorized',
    'the right code for a closed account raises unauthorized'
);
SELECT is(
    (tests.user_of(tests.value('phone'))).last_login_at, NULL,
    'the closed account was not logged in'
);
SELECT is(
    tests.user_count(tests.value('phone')), 1,
    'no new user replaces the closed one'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
