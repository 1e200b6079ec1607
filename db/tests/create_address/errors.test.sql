-- create_address: JK401 unauthorized for a closed or unknown account; JK422 validation_error
-- naming the bad field (the rules themselves: checked_address tests). Nothing is stored.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('closed', tests.make_user(p_deleted_at => now()));
END
$$;

SELECT throws_ok(
    format(
        $$SELECT api.create_address(%s, 'A', '9876543210', 'L', 'Pune', 'Maharashtra', '411001')$$,
        tests.id('closed')
    ),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    $$SELECT api.create_address(NULL, 'A', '9876543210', 'L', 'Pune', 'Maharashtra', '411001')$$,
    'JK401', 'unauthorized', 'no user is unauthorized'
);
SELECT throws_ok(
    format(
        $$SELECT api.create_address(%s, 'A', '9876543210', 'L', 'Pune', 'Maharashtra', '011001')$$,
        tests.id('user')
    ),
    'JK422', 'validation_error', 'a bad pincode is refused'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.create_address(%s, 'A', '9876543210', 'L', 'Pune', 'Bombay', '411001')$$,
        tests.id('user')
    )) ->> 'column',
    'state',
    'a bad state names the state field'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.create_address(%s, 'A', '12345', 'L', 'Pune', 'Maharashtra', '411001')$$,
        tests.id('user')
    )) ->> 'column',
    'phone',
    'a bad phone names the phone field'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.create_address(%s, 'A', '9876543210', 'L', 'Pune', 'Maharashtra', '411001',
            p_line2 => repeat('x', 201))$$,
        tests.id('user')
    )) ->> 'column',
    'line2',
    'a bad optional line names its field'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.addresses
        WHERE user_id IN (tests.id('user'), tests.id('closed'))
    ),
    0,
    'nothing was stored'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
