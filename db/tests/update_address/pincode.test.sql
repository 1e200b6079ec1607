-- create_address and update_address keep an address's state and pincode in agreement
-- (internal.checked_address): an unknown pincode or a pincode of another state is refused
-- with validation_error naming the field, and nothing is stored or changed.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('mine', tests.new_address(tests.id('user'), 'Mine'));
END
$$;

CREATE FUNCTION pg_temp.create_sql(p_state text, p_pincode text)
RETURNS text
LANGUAGE sql
AS $$
    SELECT format(
        'SELECT api.create_address(%s, %L, %L, %L, %L, %L, %L)',
        tests.id('user'), 'Ravi', '9876543210', '1 Lake Road', 'Somewhere', p_state, p_pincode
    )
$$;

CREATE FUNCTION pg_temp.update_sql(p_state text, p_pincode text)
RETURNS text
LANGUAGE sql
AS $$
    SELECT format(
        'SELECT api.update_address(%s, %s, %L, %L, %L, %L, %L, %L)',
        tests.id('user'), tests.id('mine'), 'Moved', '9876543210', '1 Lake Road', 'Somewhere',
        p_state, p_pincode
    )
$$;

SELECT is(
    tests.error_of(pg_temp.create_sql('Karnataka', '999401')) ->> 'column', 'pincode',
    'create: an unknown pincode'
);
SELECT is(
    tests.error_of(pg_temp.create_sql('Karnataka', '600001')) ->> 'column', 'state',
    'create: a Tamil Nadu pincode in Karnataka'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.addresses
        WHERE user_id = tests.id('user')
    ), 1,
    'nothing was added'
);
SELECT is(
    tests.error_of(pg_temp.update_sql('Delhi', '400001')) ->> 'detail',
    'state must be the state of pincode 400001: Maharashtra, not Delhi',
    'update: a Maharashtra pincode in Delhi, the detail naming Maharashtra'
);
SELECT is(
    tests.error_of(pg_temp.update_sql('Delhi', '999401')) ->> 'column', 'pincode',
    'update: an unknown pincode'
);
SELECT is((tests.address_row(tests.id('mine'))).name, 'Mine', 'a refused update changes nothing');
SELECT is(
    api.update_address(
        tests.id('user'), tests.id('mine'), 'Moved', '9876543210', '1 Lake Road', 'Mumbai',
        'maharashtra', '400001'
    ) ->> 'state',
    'Maharashtra',
    'a pincode in its state (named in any case) is taken'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
