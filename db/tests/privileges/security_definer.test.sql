-- The entry points run with the owner's rights and nothing else does: every function in schema
-- `api` is SECURITY DEFINER, none in `internal` is, and every SECURITY DEFINER function in our
-- schemas fixes its search_path with pg_temp last, so that a caller's objects cannot stand in
-- for the ones it names. Read from the catalog: a function added later is covered.
BEGIN;

SELECT plan(4);

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE p.pronamespace = 'api'::regnamespace AND NOT p.prosecdef
    ),
    NULL::text[],
    'every function in schema api is SECURITY DEFINER'
);

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE p.pronamespace = 'internal'::regnamespace AND p.prosecdef
    ),
    NULL::text[],
    'no function in schema internal is SECURITY DEFINER'
);

-- "Our schemas": every schema but the system's (pg_catalog, pg_toast, information_schema).
SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        INNER JOIN pg_catalog.pg_namespace AS n ON p.pronamespace = n.oid
        WHERE
            p.prosecdef
            AND n.nspname !~ '^pg_'
            AND n.nspname <> 'information_schema'
            AND NOT EXISTS (
                SELECT FROM unnest(p.proconfig) AS c (setting)
                WHERE c.setting LIKE 'search\_path=%'
            )
    ),
    NULL::text[],
    'every SECURITY DEFINER function sets its search_path'
);

SELECT is(
    (
        SELECT
            array_agg(
                format('%s (%s)', p.oid::regprocedure, c.setting) ORDER BY p.oid::regprocedure::text
            )
        FROM pg_catalog.pg_proc AS p
        INNER JOIN pg_catalog.pg_namespace AS n ON p.pronamespace = n.oid
        CROSS JOIN LATERAL unnest(p.proconfig) AS c (setting)
        WHERE
            p.prosecdef
            AND n.nspname !~ '^pg_'
            AND n.nspname <> 'information_schema'
            AND c.setting LIKE 'search\_path=%'
            AND c.setting !~ '[=,]\s*"?pg_temp"?\s*$'
    ),
    NULL::text[],
    'every SECURITY DEFINER function lists pg_temp last in its search_path'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
