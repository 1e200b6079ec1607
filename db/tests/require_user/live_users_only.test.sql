-- require_user: answers the row of a live user; a missing, closed or absent user raises JK401
-- unauthorized.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.set_id('live', tests.make_user(p_name => 'Asha'));
    PERFORM tests.set_id('closed', tests.make_user(p_deleted_at => now() - interval '1 minute'));
    PERFORM tests.set_id('gone', tests.make_user());
    DELETE FROM store.users WHERE id = tests.id('gone');
END
$$;

SELECT is(
    (internal.require_user(tests.id('live'))).id, tests.id('live'), 'a live user: its row'
);
SELECT is((internal.require_user(tests.id('live'))).name, 'Asha', 'the whole row, name included');
SELECT throws_ok(
    format($$SELECT internal.require_user(%s)$$, tests.id('gone')), 'JK401', 'unauthorized',
    'a user that no longer exists is unauthorized'
);
SELECT throws_ok(
    format($$SELECT internal.require_user(%s)$$, tests.id('closed')), 'JK401', 'unauthorized',
    'a closed account is unauthorized'
);
SELECT throws_ok(
    $$SELECT internal.require_user(NULL)$$, 'JK401', 'unauthorized', 'no user id is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
