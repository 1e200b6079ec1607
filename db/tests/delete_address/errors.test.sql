-- delete_address: JK404 address_not_found for another user's, an already deleted or an unknown
-- address (nothing changes); JK401 unauthorized.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('mine', tests.new_address(tests.id('user')));
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('theirs', tests.new_address(tests.id('other')));
END
$$;

SELECT throws_ok(
    format($$SELECT api.delete_address(%s, %s)$$, tests.id('user'), tests.id('theirs')),
    'JK404', 'address_not_found', 'another user''s address is not found'
);
SELECT is(
    (tests.address_row(tests.id('theirs'))).deleted_at, NULL, 'another user''s address is not deleted'
);
SELECT is(
    tests.default_address_ids(tests.id('other')), tests.ids('{theirs}'), 'and is still their default'
);
SELECT throws_ok(
    format($$SELECT api.delete_address(%s, 9223372036854775807)$$, tests.id('user')),
    'JK404', 'address_not_found', 'an unknown address is not found'
);
DO $$ BEGIN PERFORM api.delete_address(tests.id('user'), tests.id('mine')); END $$;
SELECT throws_ok(
    format($$SELECT api.delete_address(%s, %s)$$, tests.id('user'), tests.id('mine')),
    'JK404', 'address_not_found', 'an address already deleted is not found'
);
SELECT throws_ok(
    format($$SELECT api.delete_address(%s, %s)$$, tests.make_user(p_deleted_at => now()), tests.id('theirs')),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.delete_address(NULL, %s)$$, tests.id('theirs')),
    'JK401', 'unauthorized', 'no user is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
