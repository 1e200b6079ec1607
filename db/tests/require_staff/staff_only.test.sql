-- require_staff: a staff member passes (the user row back); a customer raises JK403 forbidden;
-- an unknown or closed account JK401 unauthorized, as require_user; every /admin procedure
-- calls it first, so a customer is refused before any input is looked at.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('customer', tests.make_user());
END
$$;

SELECT is((internal.require_staff(tests.id('staff'))).id, tests.id('staff'), 'staff pass');
SELECT throws_ok(
    format('SELECT internal.require_staff(%s)', tests.id('customer')),
    'JK403', 'forbidden', 'a customer is refused'
);
SELECT throws_ok('SELECT internal.require_staff(NULL)', 'JK401', 'unauthorized', 'no user');
UPDATE store.users SET deleted_at = now()
WHERE id = tests.id('staff');
SELECT throws_ok(
    format('SELECT internal.require_staff(%s)', tests.id('staff')),
    'JK401', 'unauthorized', 'a closed staff account is refused as any closed account'
);
-- Before any input: a customer with an invalid body still gets 403, not 422.
SELECT throws_ok(
    format($$SELECT api.admin_adjust_stock(%s, 1, 0, '')$$, tests.id('customer')),
    'JK403', 'forbidden', 'a customer is refused before the input is checked'
);
SELECT is(
    (
        SELECT count(*)::integer FROM pg_proc AS p
        WHERE
            p.pronamespace = 'api'::regnamespace AND p.proname LIKE 'admin\_%'
            AND p.prosrc NOT LIKE '%internal.require_staff(p_user_id)%'
    ),
    0,
    'every admin procedure calls internal.require_staff'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
