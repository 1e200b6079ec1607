-- normalize_phone: +91XXXXXXXXXX and 10 digits starting 6-9 both come out as +91XXXXXXXXXX.
BEGIN;

SELECT plan(7);

SELECT is(internal.normalize_phone('9876543210'), '+919876543210', '10 digits get the +91 prefix');
SELECT is(internal.normalize_phone('+919876543210'), '+919876543210', '+91 form is kept as it is');
SELECT is(internal.normalize_phone('6000000000'), '+916000000000', 'a number starting 6 is accepted');
SELECT is(internal.normalize_phone('7000000000'), '+917000000000', 'a number starting 7 is accepted');
SELECT is(internal.normalize_phone('8999999999'), '+918999999999', 'a number starting 8 is accepted');
SELECT is(internal.normalize_phone('+919999999999'), '+919999999999', 'a +91 number starting 9 is kept');
SELECT is(
    internal.normalize_phone('9123456789'), internal.normalize_phone('+919123456789'),
    'both forms of one number normalise to the same phone'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
