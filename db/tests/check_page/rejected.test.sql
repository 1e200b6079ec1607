-- check_page: page below 1, page_size outside 1..100, NULLs and offsets past the integer range
-- raise JK422 validation_error naming the field.
BEGIN;

SELECT plan(12);

SELECT throws_ok($$SELECT internal.check_page(0, 20)$$, 'JK422', 'validation_error', 'page 0 is refused');
SELECT throws_ok(
    $$SELECT internal.check_page(-1, 20)$$, 'JK422', 'validation_error', 'a negative page is refused'
);
SELECT throws_ok(
    $$SELECT internal.check_page(NULL, 20)$$, 'JK422', 'validation_error', 'a NULL page is refused'
);
SELECT throws_ok(
    $$SELECT internal.check_page(1, 0)$$, 'JK422', 'validation_error', 'page_size 0 is refused'
);
SELECT throws_ok(
    $$SELECT internal.check_page(1, 101)$$, 'JK422', 'validation_error', 'page_size 101 is refused'
);
SELECT throws_ok(
    $$SELECT internal.check_page(1, -5)$$, 'JK422', 'validation_error', 'a negative page_size is refused'
);
SELECT throws_ok(
    $$SELECT internal.check_page(1, NULL)$$, 'JK422', 'validation_error', 'a NULL page_size is refused'
);
SELECT throws_ok(
    $$SELECT internal.check_page(21474838, 100)$$, 'JK422', 'validation_error',
    'a page whose offset overflows an integer is refused, not a 500'
);
SELECT throws_ok(
    $$SELECT internal.check_page(2147483647, 100)$$, 'JK422', 'validation_error',
    'the largest integer page with page_size 100 is refused, not a 500'
);
SELECT is(
    tests.error_of($$SELECT internal.check_page(0, 20)$$) ->> 'column', 'page',
    'a bad page names the page field'
);
SELECT is(
    tests.error_of($$SELECT internal.check_page(1, 101)$$) ->> 'column', 'page_size',
    'a bad page_size names the page_size field'
);
SELECT is(
    tests.error_of($$SELECT internal.check_page(21474838, 100)$$) ->> 'column', 'page',
    'an overflowing page names the page field'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
