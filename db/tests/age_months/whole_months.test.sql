-- age_months: whole months from the birth date to today; a month counts only once its day has
-- come.
BEGIN;

SELECT plan(8);

SELECT is(internal.age_months(current_date), 0, 'born today: 0');
SELECT is(internal.age_months(current_date - 1), 0, 'born yesterday: 0');
SELECT is(internal.age_months((current_date - interval '1 month')::date), 1, 'born a month ago today: 1');
SELECT is(
    internal.age_months((current_date - interval '1 month')::date + 1), 0,
    'a month ago tomorrow: still 0'
);
SELECT is(
    internal.age_months((current_date - interval '2 years 5 months')::date), 29, '2 years 5 months: 29'
);
SELECT is(
    internal.age_months((current_date - interval '2 years 5 months')::date + 1), 28,
    'one day short of 29 months: 28'
);
SELECT is(internal.age_months((current_date - interval '18 years')::date), 216, '18 years: 216');
SELECT is(internal.age_months(tests.born_months_ago(37)), 37, 'the test factory agrees');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
