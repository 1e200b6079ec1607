-- update_me: JK401 unauthorized for a closed or unknown account; JK422 validation_error naming
-- name or email; a refused update changes nothing.
BEGIN;

SELECT plan(14);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user(p_name => 'Asha', p_email => 'asha@example.com'));
    PERFORM tests.set_id('closed', tests.make_user(p_deleted_at => now() - interval '1 day'));
END
$$;

SELECT throws_ok(
    format($$SELECT api.update_me(%s, 'Eve')$$, tests.id('closed')), 'JK401', 'unauthorized',
    'a closed account is unauthorized'
);
SELECT throws_ok(
    $$SELECT api.update_me(NULL, 'Eve')$$, 'JK401', 'unauthorized', 'no user is unauthorized'
);
SELECT is(
    (
        SELECT name FROM store.users
        WHERE id = tests.id('closed')
    ), NULL, 'the closed account is unchanged'
);

SELECT throws_ok(
    format($$SELECT api.update_me(%s, p_name => '   ')$$, tests.id('user')), 'JK422', 'validation_error',
    'a blank name is refused'
);
SELECT throws_ok(
    format($$SELECT api.update_me(%s, p_name => repeat('n', 101))$$, tests.id('user')),
    'JK422', 'validation_error',
    'a name over 100 characters is refused'
);
SELECT is(
    tests.error_of(format($$SELECT api.update_me(%s, p_name => '')$$, tests.id('user'))) ->> 'column',
    'name',
    'a bad name names the name field'
);

SELECT throws_ok(
    format($$SELECT api.update_me(%s, p_email => 'asha')$$, tests.id('user')), 'JK422', 'validation_error',
    'an email without @ is refused'
);
SELECT throws_ok(
    format($$SELECT api.update_me(%s, p_email => 'asha@example')$$, tests.id('user')),
    'JK422', 'validation_error',
    'an email without a top-level domain is refused'
);
SELECT throws_ok(
    format($$SELECT api.update_me(%s, p_email => 'asha rao@example.com')$$, tests.id('user')),
    'JK422', 'validation_error',
    'an email with a space inside is refused'
);
SELECT throws_ok(
    format($$SELECT api.update_me(%s, p_email => '')$$, tests.id('user')), 'JK422', 'validation_error',
    'an empty email is refused'
);
SELECT throws_ok(
    format(
        $$SELECT api.update_me(%s, p_email => repeat('a', 64) || '@' || repeat('b', 186) || '.com')$$,
        tests.id('user')
    ),
    'JK422', 'validation_error',
    'an email over 254 characters is refused'
);
SELECT is(
    tests.error_of(format($$SELECT api.update_me(%s, p_email => 'x')$$, tests.id('user'))) ->> 'column',
    'email',
    'a bad email names the email field'
);

SELECT is(
    tests.error_of(format($$SELECT api.update_me(%s, 'Eve', 'not-an-email')$$, tests.id('user')))
    ->> 'sqlstate',
    'JK422',
    'a good name with a bad email is refused as a whole'
);
SELECT is(
    (
        SELECT ARRAY[name, email] FROM store.users
        WHERE id = tests.id('user')
    ),
    ARRAY['Asha', 'asha@example.com'],
    'refused updates changed nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
