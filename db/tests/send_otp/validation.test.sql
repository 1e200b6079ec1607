-- send_otp: a malformed phone is refused with JK422 validation_error naming the phone field;
-- a key shorter than 16 bytes is a server misconfiguration and refused.
BEGIN;

SELECT plan(8);

SELECT throws_ok(
    $$SELECT api.send_otp('12345', tests.otp_key())$$, 'JK422', 'validation_error',
    'a short number is refused'
);
SELECT throws_ok(
    $$SELECT api.send_otp('5876543210', tests.otp_key())$$, 'JK422', 'validation_error',
    'a number starting 5 is refused'
);
SELECT throws_ok(
    $$SELECT api.send_otp('+1 415 555 0100', tests.otp_key())$$, 'JK422', 'validation_error',
    'a foreign number is refused'
);
SELECT throws_ok(
    $$SELECT api.send_otp(NULL, tests.otp_key())$$, 'JK422', 'validation_error',
    'a NULL phone is refused'
);
SELECT is(
    tests.error_of($$SELECT api.send_otp('abc', tests.otp_key())$$) ->> 'column', 'phone',
    'the error names the phone field'
);
SELECT throws_like(
    format(
        $$SELECT api.send_otp(%L, %L::bytea)$$,
        tests.new_phone(), convert_to('fifteen bytes!!', 'UTF8')
    ),
    '%at least 16 bytes%',
    'a key under 16 bytes is refused'
);
SELECT is(
    tests.error_of(
        format(
            $$SELECT api.send_otp(%L, %L::bytea)$$,
            tests.new_phone(), convert_to('fifteen bytes!!', 'UTF8')
        )
    ) ->> 'sqlstate',
    'P0001',
    'a short key is a server error (not a JK client error)'
);
SELECT isnt(
    tests.error_of(format($$SELECT api.send_otp(%L, NULL)$$, tests.new_phone())), NULL,
    'a NULL key is refused: no code is sent that nothing could check'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
