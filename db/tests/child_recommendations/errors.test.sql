-- child_recommendations: JK404 child_not_found for another user's or an unknown child, JK422
-- validation_error naming limit (1 to 50), JK401 unauthorized.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('child', tests.make_child(tests.id('user'), 30));
    PERFORM tests.set_id('theirs', tests.make_child(tests.make_user(), 30));
END
$$;

SELECT throws_ok(
    format($$SELECT api.child_recommendations(%s, %s)$$, tests.id('user'), tests.id('theirs')),
    'JK404', 'child_not_found', 'another user''s child is not found'
);
SELECT throws_ok(
    format($$SELECT api.child_recommendations(%s, 9223372036854775807)$$, tests.id('user')),
    'JK404', 'child_not_found', 'an unknown child is not found'
);
SELECT throws_ok(
    format($$SELECT api.child_recommendations(%s, %s, 0)$$, tests.id('user'), tests.id('child')),
    'JK422', 'validation_error', 'limit 0 is refused'
);
SELECT throws_ok(
    format($$SELECT api.child_recommendations(%s, %s, 51)$$, tests.id('user'), tests.id('child')),
    'JK422', 'validation_error', 'limit 51 is refused'
);
SELECT throws_ok(
    format($$SELECT api.child_recommendations(%s, %s, NULL)$$, tests.id('user'), tests.id('child')),
    'JK422', 'validation_error', 'a NULL limit is refused'
);
SELECT is(
    tests.error_of(
        format($$SELECT api.child_recommendations(%s, %s, 0)$$, tests.id('user'), tests.id('child'))
    )
    ->> 'column',
    'limit',
    'a bad limit names the limit field'
);
SELECT lives_ok(
    format($$SELECT api.child_recommendations(%s, %s, 1)$$, tests.id('user'), tests.id('child')),
    'limit 1 is accepted'
);
SELECT throws_ok(
    format(
        $$SELECT api.child_recommendations(%s, %s)$$,
        tests.make_user(p_deleted_at => now()), tests.id('child')
    ),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.child_recommendations(NULL, %s)$$, tests.id('child')),
    'JK401', 'unauthorized', 'no user is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
