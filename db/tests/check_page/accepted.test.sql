-- check_page: page >= 1 and page_size 1..100 are accepted; the result is the row offset.
BEGIN;

SELECT plan(6);

SELECT is(internal.check_page(1, 20), 0, 'page 1 starts at row 0');
SELECT is(internal.check_page(3, 20), 40, 'page 3 of 20 starts at row 40');
SELECT is(internal.check_page(2, 1), 1, 'page_size 1 is accepted');
SELECT is(internal.check_page(2, 100), 100, 'page_size 100 is accepted');
SELECT is(internal.check_page(21474837, 100), 2147483600, 'the largest page whose offset fits an integer');
SELECT is(internal.check_page(2147483647, 1), 2147483646, 'the largest page number with page_size 1');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
