-- Which role may run which function, read from the catalog so that a function added later is
-- covered without touching this file. The web tier (jiokidz_api) runs the `api` entry points
-- but the worker's; the worker (jiokidz_worker: the sweeper, the outbox relay, the consumers)
-- runs its worker_calls (api_spec.yaml) and nothing else; neither runs a helper of `internal`
-- or a trigger function of `store`, and analysts (jiokidz_readonly) run none.
-- The worker's functions are listed below as api_spec.yaml's worker_calls lists them;
-- tests/test_privileges.py checks the same grants against api_spec.yaml itself, and
-- worker_calls.test.sql calls them as each role. Each assertion
-- collects the offenders and expects none: on failure "have" names every function.
BEGIN;

SELECT plan(10);

CREATE TEMPORARY TABLE worker_calls (signature text PRIMARY KEY) ON COMMIT DROP;
INSERT INTO pg_temp.worker_calls (signature) VALUES
('api.sweep()'),
('api.hold_relay_lock()'),
('api.next_outbox_events(integer)'),
('api.mark_outbox_published(bigint[])'),
('api.outbox_backlog()'),
('api.message_processed(text,bigint)'),
('api.record_processed(text,bigint)'),
('api.refund_to_send(bigint,bigint)'),
('api.attach_gateway_refund(bigint,bigint,text)'),
('api.fail_gateway_refund(bigint,bigint)');

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
        SELECT array_agg(w.signature ORDER BY w.signature)
        FROM pg_temp.worker_calls AS w
        WHERE to_regprocedure(w.signature) IS NULL
    ),
    NULL::text[],
    'every worker function listed here exists in schema api'
);

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace = 'api'::regnamespace
            AND p.oid NOT IN (SELECT to_regprocedure(w.signature) FROM pg_temp.worker_calls AS w)
            AND NOT has_function_privilege('jiokidz_api', p.oid, 'EXECUTE')
    ),
    NULL::text[],
    'jiokidz_api may execute every function in schema api but the worker''s'
);

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace IN ('api'::regnamespace, 'internal'::regnamespace, 'store'::regnamespace)
            AND (
                p.pronamespace <> 'api'::regnamespace
                OR p.oid IN (SELECT to_regprocedure(w.signature) FROM pg_temp.worker_calls AS w)
            )
            AND has_function_privilege('jiokidz_api', p.oid, 'EXECUTE')
    ),
    NULL::text[],
    'jiokidz_api may execute neither the worker''s functions nor any in schemas internal and store'
);

SELECT is(
    (
        SELECT array_agg(w.signature ORDER BY w.signature)
        FROM pg_temp.worker_calls AS w
        WHERE NOT coalesce(
            has_function_privilege('jiokidz_worker', to_regprocedure(w.signature), 'EXECUTE'), FALSE
        )
    ),
    NULL::text[],
    'jiokidz_worker may execute every worker function'
);

SELECT is(
    (
        SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace IN ('api'::regnamespace, 'internal'::regnamespace, 'store'::regnamespace)
            AND p.oid NOT IN (SELECT to_regprocedure(w.signature) FROM pg_temp.worker_calls AS w)
            AND has_function_privilege('jiokidz_worker', p.oid, 'EXECUTE')
    ),
    NULL::text[],
    'jiokidz_worker may execute nothing else in schemas api, internal and store'
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
