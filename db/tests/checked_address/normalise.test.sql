-- checked_address: the fields as they will be stored: text trimmed, blank optional lines NULL,
-- phone as +91XXXXXXXXXX, state spelled as in the list whatever the case.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.set_json('address', to_jsonb(internal.checked_address(
        ' Asha Rao ', '9876543210', ' 12 MG Road ', '   ', '', ' Bengaluru ', ' tamil NADU ', ' 600001 '
    )));
END
$$;

SELECT is(tests.json('address') ->> 'name', 'Asha Rao', 'name trimmed');
SELECT is(tests.json('address') ->> 'phone', '+919876543210', 'a 10-digit phone gets +91');
SELECT is(
    (internal.checked_address('A', '+919876543210', 'L', NULL, NULL, 'C', 'Goa', '403001')).phone,
    '+919876543210',
    'a +91 phone is kept'
);
SELECT is(tests.json('address') ->> 'line1', '12 MG Road', 'line1 trimmed');
SELECT is(tests.json('address') -> 'line2', 'null'::jsonb, 'a blank line2 is NULL');
SELECT is(tests.json('address') -> 'landmark', 'null'::jsonb, 'an empty landmark is NULL');
SELECT is(
    tests.json('address') ->> 'state', 'Tamil Nadu', 'the state is matched case-blind and stored as listed'
);
SELECT is(tests.json('address') ->> 'pincode', '600001', 'pincode trimmed');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
