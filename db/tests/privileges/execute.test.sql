-- Which role may run which function, read from the catalog so that a function added later is
-- covered without touching this file. The web tier (jiokidz_api) runs the `api` entry points
-- but the worker's; the worker (jiokidz_worker) runs api.sweep alone; neither runs a helper of
-- `internal` or a trigger function of `store`, and analysts (jiokidz_readonly) run none.
-- tests/test_privileges.py checks the same grants against api_spec.yaml. Each assertion
-- collects the offenders and expects none: on failure "have" names every function.
BEGIN;

SELECT plan(9);

-- The checks below must have something to check.
SELECT cmp_ok(
    (
        SELECT count(*)::integer FROM pg_catalog.pg_proc
        WHERE pronamespace = 'api'::regnamespace
    ),
    '>=', 30,
    'schema api holds the entry points'
);
SELECT has_function('api', 'sweep', ARRAY[]::name[], 'the worker''s api.sweep() exists');

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace = 'api'::regnamespace
            AND p.oid IS DISTINCT FROM to_regprocedure('api.sweep()')
            AND NOT has_function_privilege('jiokidz_api', p.oid, 'EXECUTE')
    ),
    NULL::text[],
    'jiokidz_api may execute every function in schema api but api.sweep'
);

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace IN ('api'::regnamespace, 'internal'::regnamespace, 'store'::regnamespace)
            AND (p.pronamespace <> 'api'::regnamespace OR p.oid = to_regprocedure('api.sweep()'))
            AND has_function_privilege('jiokidz_api', p.oid, 'EXECUTE')
    ),
    NULL::text[],
    'jiokidz_api may execute neither api.sweep nor any function in schemas internal and store'
);

SELECT ok(
    coalesce(has_function_privilege('jiokidz_worker', to_regprocedure('api.sweep()'), 'EXECUTE'), FALSE),
    'jiokidz_worker may execute api.sweep()'
);

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace IN ('api'::regnamespace, 'internal'::regnamespace, 'store'::regnamespace)
            AND p.oid IS DISTINCT FROM to_regprocedure('api.sweep()')
            AND has_function_privilege('jiokidz_worker', p.oid, 'EXECUTE')
    ),
    NULL::text[],
    'jiokidz_worker may execute nothing in schemas api, internal and store but api.sweep()'
);

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace IN ('api'::regnamespace, 'internal'::regnamespace, 'store'::regnamespace)
            AND has_function_privilege('jiokidz_readonly', p.oid, 'EXECUTE')
    ),
    NULL::text[],
    'jiokidz_readonly may execute no function in schemas api, internal and store'
);

-- Only USAGE on `api` lets a role reach an entry point; nobody but the owner reaches the rest.
SELECT is(
    (
        SELECT array_agg(r.role::text ORDER BY r.role)
        FROM (VALUES ('jiokidz_api'), ('jiokidz_worker')) AS r (role)
        WHERE NOT has_schema_privilege(r.role, 'api', 'USAGE')
    ),
    NULL::text[],
    'jiokidz_api and jiokidz_worker have USAGE on schema api'
);
SELECT ok(
    NOT has_schema_privilege('jiokidz_readonly', 'api', 'USAGE'),
    'jiokidz_readonly has no USAGE on schema api'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
