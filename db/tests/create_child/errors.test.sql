-- create_child: JK422 validation_error naming name, date_of_birth or gender; JK401
-- unauthorized. Nothing is stored.
BEGIN;

SELECT plan(11);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
END
$$;

SELECT throws_ok(
    format($$SELECT api.create_child(%s, 'Future', current_date + 1)$$, tests.id('user')),
    'JK422', 'validation_error', 'a birth date in the future is refused'
);
SELECT throws_ok(
    format(
        $$SELECT api.create_child(%s, 'Grown', (current_date - interval '18 years')::date - 1)$$,
        tests.id('user')
    ),
    'JK422', 'validation_error', 'a birth date more than 18 years ago is refused'
);
SELECT throws_ok(
    format($$SELECT api.create_child(%s, 'Nobody', NULL)$$, tests.id('user')),
    'JK422', 'validation_error', 'no birth date is refused'
);
SELECT is(
    tests.error_of(format($$SELECT api.create_child(%s, 'Future', current_date + 1)$$, tests.id('user')))
    ->> 'column',
    'date_of_birth',
    'a bad birth date names the date_of_birth field'
);
SELECT throws_ok(
    format($$SELECT api.create_child(%s, 'Kid', current_date, 'unisex')$$, tests.id('user')),
    'JK422', 'validation_error', 'gender unisex (a product gender) is refused'
);
SELECT is(
    tests.error_of(format($$SELECT api.create_child(%s, 'Kid', current_date, 'male')$$, tests.id('user')))
    ->> 'column',
    'gender',
    'a bad gender names the gender field'
);
SELECT throws_ok(
    format($$SELECT api.create_child(%s, ' ', current_date)$$, tests.id('user')),
    'JK422', 'validation_error', 'a blank name is refused'
);
SELECT is(
    tests.error_of(format($$SELECT api.create_child(%s, repeat('k', 101), current_date)$$, tests.id('user')))
    ->> 'column',
    'name',
    'a name over 100 characters names the name field'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.children
        WHERE user_id = tests.id('user')
    ), 0,
    'nothing was stored'
);
SELECT throws_ok(
    format(
        $$SELECT api.create_child(%s, 'Kid', current_date)$$, tests.make_user(p_deleted_at => now())
    ),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    $$SELECT api.create_child(NULL, 'Kid', current_date)$$, 'JK401', 'unauthorized',
    'no user is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
