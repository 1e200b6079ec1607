-- problem: the error body a procedure returns instead of raising.
BEGIN;

SELECT plan(3);

SELECT is(
    internal.problem(401, 'invalid_otp', 'Wrong code'),
    '{"error": {"status": 401, "code": "invalid_otp", "detail": "Wrong code"}}'::jsonb,
    'problem builds {"error": {"status", "code", "detail"}}'
);
SELECT is(
    jsonb_typeof(internal.problem(429, 'otp_attempts_exceeded', 'x') #> '{error,status}'), 'number',
    'the status is a JSON number'
);
SELECT is(
    tests.error_code(internal.problem(429, 'otp_attempts_exceeded', 'x')), 'otp_attempts_exceeded',
    'tests.error_code reads the code back'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
