-- update_child: JK404 child_not_found for another user's or an unknown child (the row
-- unchanged); JK422 validation_error naming the field; JK401 unauthorized.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('mine', tests.make_child(tests.id('user'), 10, 'Mine'));
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('theirs', tests.make_child(tests.id('other'), 20, 'Theirs', 'girl'));
END
$$;

SELECT throws_ok(
    format($$SELECT api.update_child(%s, %s, 'Eve', current_date)$$, tests.id('user'), tests.id('theirs')),
    'JK404', 'child_not_found', 'another user''s child is not found'
);
SELECT is(
    internal.child_json(tests.child_row(tests.id('theirs'))),
    jsonb_build_object(
        'id', tests.id('theirs'), 'name', 'Theirs', 'date_of_birth', tests.born_months_ago(20),
        'gender', 'girl', 'age_months', 20
    ),
    'another user''s child is unchanged'
);
SELECT throws_ok(
    format($$SELECT api.update_child(%s, 9223372036854775807, 'Eve', current_date)$$, tests.id('user')),
    'JK404', 'child_not_found', 'an unknown child is not found'
);
SELECT throws_ok(
    format($$SELECT api.update_child(%s, %s, 'Mine', current_date + 1)$$, tests.id('user'), tests.id('mine')),
    'JK422', 'validation_error', 'a birth date in the future is refused'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.update_child(%s, %s, 'Mine', current_date, 'x')$$, tests.id('user'), tests.id('mine')
    )) ->> 'column',
    'gender',
    'naming the field'
);
SELECT is(
    (tests.child_row(tests.id('mine'))).date_of_birth, tests.born_months_ago(10),
    'a refused update changes nothing'
);
SELECT throws_ok(
    format(
        $$SELECT api.update_child(%s, %s, 'Mine', current_date)$$,
        tests.make_user(p_deleted_at => now()), tests.id('mine')
    ),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.update_child(NULL, %s, 'Mine', current_date)$$, tests.id('mine')),
    'JK401', 'unauthorized', 'no user is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
