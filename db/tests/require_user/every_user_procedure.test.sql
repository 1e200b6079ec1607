-- Every procedure that takes the token's user (an argument p_user_id) and answers the API
-- (returns jsonb, callable by the web tier) checks it through internal.require_user, the one
-- place that refuses closed and unknown accounts (the staff routes through
-- internal.require_staff, which calls it). The worker's functions that take p_user_id
-- (refund_to_send, attach_gateway_refund, fail_gateway_refund) are given a refund's owner from
-- a message, not a token, and jiokidz_api may not call them: they are left out. Read from the
-- catalog, so a procedure added later is covered too.
BEGIN;

SELECT plan(2);

SELECT is(
    (
        SELECT array_agg(p.proname::text ORDER BY p.proname)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace = 'api'::regnamespace
            AND 'p_user_id' = any(p.proargnames)
            AND p.prorettype = 'jsonb'::regtype
            AND has_function_privilege('jiokidz_api', p.oid, 'EXECUTE')
            AND p.prosrc !~ 'internal\.require_(user|staff)\(p_user_id\)'
    ),
    NULL::text[],
    'every API procedure taking p_user_id calls internal.require_user(p_user_id) or require_staff'
);
-- The check above must have something to check.
SELECT cmp_ok(
    (
        SELECT count(*)::integer
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace = 'api'::regnamespace
            AND 'p_user_id' = any(p.proargnames)
            AND p.prorettype = 'jsonb'::regtype
            AND has_function_privilege('jiokidz_api', p.oid, 'EXECUTE')
    ),
    '>=', 15,
    'the profile, address, child, wishlist and catalog procedures take p_user_id'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
