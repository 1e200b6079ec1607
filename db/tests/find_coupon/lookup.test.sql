-- find_coupon: a code matched case-blind, spaces around it ignored; JK404 coupon_not_found for
-- an unknown code, JK422 validation_error for a blank one.
BEGIN;

SELECT plan(6);

SELECT is((internal.find_coupon('WELCOME10')).code, 'WELCOME10', 'an exact code');
SELECT is((internal.find_coupon('welcome10')).code, 'WELCOME10', 'lower case matches');
SELECT is((internal.find_coupon('  Welcome10 ')).code, 'WELCOME10', 'mixed case with spaces matches');
SELECT throws_ok(
    $$SELECT internal.find_coupon('NOSUCHCODE')$$, 'JK404', 'coupon_not_found', 'an unknown code'
);
SELECT throws_ok($$SELECT internal.find_coupon('   ')$$, 'JK422', 'validation_error', 'a blank code');
SELECT is(
    tests.error_of($$SELECT internal.find_coupon(NULL)$$) ->> 'column', 'code', 'no code names the field'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
