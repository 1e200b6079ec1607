-- get_me: a token whose user no longer exists or closed the account raises JK401 unauthorized.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_id('closed', tests.make_user(p_deleted_at => now() - interval '1 minute'));
    PERFORM tests.set_id('gone', tests.make_user());
    DELETE FROM store.users WHERE id = tests.id('gone');
END
$$;

SELECT throws_ok(
    format($$SELECT api.get_me(%s)$$, tests.id('gone')), 'JK401', 'unauthorized',
    'a user that no longer exists is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.get_me(%s)$$, tests.id('closed')), 'JK401', 'unauthorized',
    'a closed account is unauthorized'
);
SELECT throws_ok(
    $$SELECT api.get_me(NULL)$$, 'JK401', 'unauthorized', 'no user id is unauthorized'
);
SELECT lives_ok(
    format($$SELECT api.get_me(%s)$$, tests.make_user()), 'a live user is authorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
