-- check_limit: 1 to 100 pass through; 0, 101 and NULL raise JK422 validation_error on limit.
BEGIN;

SELECT plan(5);

SELECT is(internal.check_limit(1), 1, 'the smallest limit');
SELECT is(internal.check_limit(100), 100, 'the largest limit');
SELECT throws_ok('SELECT internal.check_limit(0)', 'JK422', 'validation_error', 'a limit of 0');
SELECT throws_ok('SELECT internal.check_limit(101)', 'JK422', 'validation_error', 'a limit over 100');
SELECT is(
    tests.error_of('SELECT internal.check_limit(NULL)') ->> 'column', 'limit',
    'no limit at all names the column'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
