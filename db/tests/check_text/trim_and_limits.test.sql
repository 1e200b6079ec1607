-- check_text: trims, turns a blank optional field into NULL, and raises JK422 validation_error
-- naming the field for a blank required field or one that is too long.
BEGIN;

SELECT plan(11);

SELECT is(internal.check_text('  Asha Rao  ', 'name', 100), 'Asha Rao', 'spaces around are trimmed');
SELECT is(
    internal.check_text(E'\tAsha\r\n', 'name', 100), 'Asha', 'tabs and line breaks around are trimmed'
);
SELECT is(internal.check_text('Asha  Rao', 'name', 100), 'Asha  Rao', 'spaces inside are kept');
SELECT is(internal.check_text('   ', 'line2', 200, FALSE), NULL, 'a blank optional field is NULL');
SELECT is(internal.check_text(NULL, 'line2', 200, FALSE), NULL, 'a missing optional field is NULL');
SELECT is(
    internal.check_text(repeat('a', 100), 'name', 100), repeat('a', 100), 'exactly the limit is accepted'
);
SELECT throws_ok(
    $$SELECT internal.check_text(repeat('a', 101), 'name', 100)$$, 'JK422', 'validation_error',
    'one character over the limit is refused'
);
SELECT throws_ok(
    $$SELECT internal.check_text('  ', 'name', 100)$$, 'JK422', 'validation_error',
    'a blank required field is refused'
);
SELECT throws_ok(
    $$SELECT internal.check_text(NULL, 'name', 100)$$, 'JK422', 'validation_error',
    'a missing required field is refused'
);
SELECT is(
    tests.error_of($$SELECT internal.check_text('', 'city', 100)$$) ->> 'column', 'city',
    'the error names the field'
);
SELECT is(
    tests.error_of($$SELECT internal.check_text(repeat('a', 201), 'landmark', 200, FALSE)$$) ->> 'column',
    'landmark',
    'a too long optional field is refused too, naming it'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
