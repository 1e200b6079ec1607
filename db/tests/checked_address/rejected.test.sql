-- checked_address: each bad field raises JK422 validation_error naming that field.
BEGIN;

SELECT plan(17);

-- The SQL of a call with valid fields, one of them replaced.
CREATE FUNCTION pg_temp.call_with(p_field text, p_value text)
RETURNS text
LANGUAGE sql
AS $$
    SELECT format(
        'SELECT internal.checked_address(%s)',
        array_to_string(array(
            SELECT coalesce(quote_literal(CASE WHEN f.name = p_field THEN p_value ELSE f.value END), 'NULL')
            FROM unnest(
                ARRAY['name', 'phone', 'line1', 'line2', 'landmark', 'city', 'state', 'pincode'],
                ARRAY['Asha', '9876543210', '1 MG Road', 'Area', 'Park', 'Pune', 'Maharashtra', '411001']
            ) WITH ORDINALITY AS f (name, value, ordinal)
            ORDER BY f.ordinal
        ), ', ')
    )
$$;

SELECT lives_ok(pg_temp.call_with('none', NULL), 'the valid fields pass');

SELECT is(tests.error_of(pg_temp.call_with('name', '  ')) ->> 'column', 'name', 'a blank name');
SELECT is(
    tests.error_of(pg_temp.call_with('name', repeat('n', 101))) ->> 'column', 'name', 'a name over 100'
);
SELECT is(tests.error_of(pg_temp.call_with('phone', '12345')) ->> 'column', 'phone', 'a short phone');
SELECT is(
    tests.error_of(pg_temp.call_with('phone', '5876543210')) ->> 'column', 'phone',
    'a phone starting with 5 (not a mobile)'
);
SELECT is(tests.error_of(pg_temp.call_with('phone', NULL)) ->> 'column', 'phone', 'no phone');
SELECT is(tests.error_of(pg_temp.call_with('line1', '')) ->> 'column', 'line1', 'an empty line1');
SELECT is(
    tests.error_of(pg_temp.call_with('line1', repeat('l', 201))) ->> 'column', 'line1', 'a line1 over 200'
);
SELECT is(
    tests.error_of(pg_temp.call_with('line2', repeat('l', 201))) ->> 'column', 'line2', 'a line2 over 200'
);
SELECT is(
    tests.error_of(pg_temp.call_with('landmark', repeat('l', 201))) ->> 'column', 'landmark',
    'a landmark over 200'
);
SELECT is(tests.error_of(pg_temp.call_with('city', NULL)) ->> 'column', 'city', 'no city');
SELECT is(tests.error_of(pg_temp.call_with('state', 'Bombay')) ->> 'column', 'state', 'an unknown state');
SELECT is(tests.error_of(pg_temp.call_with('state', NULL)) ->> 'column', 'state', 'no state');
SELECT is(
    tests.error_of(pg_temp.call_with('pincode', '011001')) ->> 'column', 'pincode',
    'a pincode starting with 0'
);
SELECT is(tests.error_of(pg_temp.call_with('pincode', '41100')) ->> 'column', 'pincode', 'a 5-digit pincode');
SELECT is(
    tests.error_of(pg_temp.call_with('pincode', '41100A')) ->> 'column', 'pincode',
    'a pincode with a letter'
);
SELECT is(
    tests.error_of(pg_temp.call_with('pincode', '4110011')) ->> 'sqlstate', 'JK422',
    'a 7-digit pincode is a validation error'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
