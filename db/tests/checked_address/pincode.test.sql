-- checked_address: the pincode must be in store.pincodes (else validation_error naming
-- pincode), and the state must be the pincode's (else validation_error naming state, the
-- detail naming the pincode's state). A pincode not served is still a valid address.
BEGIN;

SELECT plan(7);

INSERT INTO store.pincodes (pincode, district, state, serviceable, cod_allowed, delivery_days)
VALUES ('999301', 'Test Remote', 'Mizoram', FALSE, FALSE, NULL);

CREATE FUNCTION pg_temp.check_sql(p_state text, p_pincode text)
RETURNS text
LANGUAGE sql
AS $$
    SELECT format(
        'SELECT internal.checked_address(%L, %L, %L, NULL, NULL, %L, %L, %L)',
        'Asha', '9876543210', '1 MG Road', 'Somewhere', p_state, p_pincode
    )
$$;

SELECT lives_ok(pg_temp.check_sql('Karnataka', '560038'), 'a pincode in its state passes');
SELECT lives_ok(pg_temp.check_sql('mizoram', '999301'), 'a known pincode not served passes');
SELECT is(
    tests.error_of(pg_temp.check_sql('Karnataka', '999302')) ->> 'column', 'pincode',
    'an unknown pincode names pincode'
);
SELECT is(
    tests.error_of(pg_temp.check_sql('Karnataka', '999302')) ->> 'sqlstate', 'JK422',
    'an unknown pincode is a 422'
);
SELECT is(
    tests.error_of(pg_temp.check_sql('Karnataka', '400001')) ->> 'column', 'state',
    'a pincode of another state names state'
);
SELECT matches(
    tests.error_of(pg_temp.check_sql('Karnataka', '400001')) ->> 'detail', 'Maharashtra',
    'the detail names the pincode''s state'
);
SELECT is(
    tests.error_of(pg_temp.check_sql('Kerala', '999301')) ->> 'message', 'validation_error',
    'a pincode not served, in another state: validation_error'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
