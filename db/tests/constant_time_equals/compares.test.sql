-- constant_time_equals: equal strings match, anything else does not, NULL never does; each
-- call hashes with a fresh random key, so the digests compared differ from call to call.
BEGIN;

SELECT plan(7);

SELECT ok(internal.constant_time_equals('abc123', 'abc123'), 'equal strings match');
SELECT ok(NOT internal.constant_time_equals('abc123', 'abc124'), 'a different last character does not');
SELECT ok(NOT internal.constant_time_equals('abc123', 'ABC123'), 'case matters (hex is lowercase)');
SELECT ok(NOT internal.constant_time_equals('abc123', 'abc1234'), 'a longer string does not');
SELECT ok(NOT internal.constant_time_equals('', 'a'), 'an empty string does not match a non-empty one');
SELECT ok(
    NOT internal.constant_time_equals(NULL, NULL) AND NOT internal.constant_time_equals('a', NULL),
    'NULL never matches, not even NULL'
);
SELECT ok(internal.constant_time_equals('₹ रुपया', '₹ रुपया'), 'non-ASCII text compares by its bytes');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
