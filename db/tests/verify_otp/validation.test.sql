-- verify_otp: a code that is not exactly 6 ASCII digits, or a malformed phone, raises JK422
-- validation_error naming the field.
BEGIN;

SELECT plan(11);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.send_code(tests.value('phone'));
END
$$;

SELECT throws_ok(
    format($$SELECT tests.verify(%L, '12345')$$, tests.value('phone')),
    'JK422', 'validation_error', '5 digits are refused'
);
SELECT throws_ok(
    format($$SELECT tests.verify(%L, '1234567')$$, tests.value('phone')),
    'JK422', 'validation_error', '7 digits are refused'
);
SELECT throws_ok(
    format($$SELECT tests.verify(%L, 'abcdef')$$, tests.value('phone')),
    'JK422', 'validation_error', 'letters are refused'
);
SELECT throws_ok(
    format($$SELECT tests.verify(%L, ' 12345')$$, tests.value('phone')),
    'JK422', 'validation_error', 'white space is refused'
);
SELECT throws_ok(
    format($$SELECT tests.verify(%L, '١٢٣٤٥٦')$$, tests.value('phone')),
    'JK422', 'validation_error', 'non-ASCII digits are refused'
);
SELECT throws_ok(
    format($$SELECT tests.verify(%L, NULL)$$, tests.value('phone')),
    'JK422', 'validation_error', 'a NULL code is refused'
);
SELECT is(
    tests.error_of(format($$SELECT tests.verify(%L, '12345')$$, tests.value('phone'))) ->> 'column',
    'otp',
    'a malformed code names the otp field'
);
SELECT is(
    (tests.latest_code(tests.value('phone'))).attempts, 0::smallint,
    'malformed codes are not counted as tries'
);
SELECT throws_ok(
    $$SELECT tests.verify('12345', '123456')$$, 'JK422', 'validation_error',
    'a malformed phone is refused'
);
SELECT throws_ok(
    $$SELECT tests.verify(NULL, '123456')$$, 'JK422', 'validation_error', 'a NULL phone is refused'
);
SELECT is(
    tests.error_of($$SELECT tests.verify('12345', '123456')$$) ->> 'column', 'phone',
    'a malformed phone names the phone field'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
