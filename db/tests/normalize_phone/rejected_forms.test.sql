-- normalize_phone: anything but +91XXXXXXXXXX or 10 digits starting 6-9 is refused with
-- JK422 validation_error naming the phone field.
BEGIN;

SELECT plan(17);

SELECT throws_ok(
    $$SELECT internal.normalize_phone('5876543210')$$, 'JK422', 'validation_error',
    'a number starting 5 is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('0876543210')$$, 'JK422', 'validation_error',
    'a number starting 0 is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('987654321')$$, 'JK422', 'validation_error',
    '9 digits are refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('98765432101')$$, 'JK422', 'validation_error',
    '11 digits are refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('09876543210')$$, 'JK422', 'validation_error',
    'a trunk prefix 0 is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('919876543210')$$, 'JK422', 'validation_error',
    '91 without the plus is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('+91 9876543210')$$, 'JK422', 'validation_error',
    'a space after +91 is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('98765-43210')$$, 'JK422', 'validation_error',
    'a dash inside the number is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('+915876543210')$$, 'JK422', 'validation_error',
    '+91 followed by a number starting 5 is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('+447911123456')$$, 'JK422', 'validation_error',
    'a foreign country code is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('+91987654321')$$, 'JK422', 'validation_error',
    '+91 with 9 digits is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone(' 9876543210')$$, 'JK422', 'validation_error',
    'leading white space is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone(E'9876543210\n')$$, 'JK422', 'validation_error',
    'a trailing newline is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('abcdefghij')$$, 'JK422', 'validation_error',
    'letters are refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone('')$$, 'JK422', 'validation_error',
    'an empty string is refused'
);
SELECT throws_ok(
    $$SELECT internal.normalize_phone(NULL)$$, 'JK422', 'validation_error',
    'NULL is refused'
);
SELECT is(
    tests.error_of($$SELECT internal.normalize_phone('12345')$$) ->> 'column', 'phone',
    'the error names the phone field'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
