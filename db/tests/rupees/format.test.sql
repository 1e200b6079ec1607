-- rupees: paise shown as rupees in human-readable details.
BEGIN;

SELECT plan(4);

SELECT is(internal.rupees(49900), '499', 'whole rupees have no decimals');
SELECT is(internal.rupees(49950), '499.50', 'paise get two decimals');
SELECT is(internal.rupees(5), '0.05', 'a few paise');
SELECT is(internal.rupees(0), '0', 'zero');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
