-- otp_hash: HMAC-SHA256 of '<phone>:<code>' keyed with the OTP key, 32 bytes, bound to the phone.
BEGIN;

SELECT plan(7);

SELECT is(
    encode(tests.otp_key(), 'hex'),
    'd2db46c95161067b3f31a7bc886630fbcf2222742c5b0ceac7d2fc710aff9315',
    'the test key is the fixed 32-byte value the vectors below were computed with'
);
SELECT is(
    encode(internal.otp_hash('+919876543210', '123456', tests.otp_key()), 'hex'),
    '5f93e1405d3a11d886040397a85cf037ca51f937f679c6054186dcd9a678aa4d',
    'matches HMAC-SHA256 computed outside the database (Python hmac)'
);
SELECT is(
    octet_length(internal.otp_hash('+919876543210', '000000', tests.otp_key())), 32,
    'the hash is 32 bytes'
);
SELECT isnt(
    internal.otp_hash('+919876543210', '123456', tests.otp_key()),
    internal.otp_hash('+919876543211', '123456', tests.otp_key()),
    'the same code for another phone hashes differently'
);
SELECT isnt(
    internal.otp_hash('+919876543210', '123456', tests.otp_key()),
    internal.otp_hash('+919876543210', '123457', tests.otp_key()),
    'another code for the same phone hashes differently'
);
SELECT isnt(
    internal.otp_hash('+919876543210', '123456', tests.otp_key()),
    internal.otp_hash('+919876543210', '123456', sha256(convert_to('another key', 'UTF8'))),
    'another key hashes differently'
);
SELECT is(
    internal.otp_hash('+919876543210', NULL, tests.otp_key()), NULL,
    'a NULL code hashes to NULL (STRICT), which the NOT NULL column refuses'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
