-- jiokidz_owner owns the database, the schemas store, api and internal, and every table,
-- sequence, index, type and function in them: the `api` functions run with its rights, and
-- make db, logged in as it, can replace each of them. No store role holds a power over the
-- whole cluster. Read from the catalog: an object added later is covered. On failure "have"
-- names each object and its owner.
BEGIN;

SELECT plan(6);

SELECT is(
    (
        SELECT datdba::regrole::text FROM pg_catalog.pg_database
        WHERE datname = current_database()
    ),
    'jiokidz_owner',
    'jiokidz_owner owns the database'
);

SELECT is(
    (
        SELECT
            array_agg(
                format('%s (%s)', s.schema, coalesce(n.nspowner::regrole::text, 'missing')) ORDER BY 1
            )
        FROM (VALUES ('store'), ('api'), ('internal')) AS s (schema)
        LEFT JOIN pg_catalog.pg_namespace AS n ON s.schema = n.nspname
        WHERE n.nspowner IS DISTINCT FROM 'jiokidz_owner'::regrole
    ),
    NULL::text[],
    'jiokidz_owner owns schemas store, api and internal'
);

SELECT is(
    (
        SELECT array_agg(format('%s (%s)', c.oid::regclass, c.relowner::regrole) ORDER BY 1)
        FROM pg_catalog.pg_class AS c
        WHERE
            c.relnamespace IN ('store'::regnamespace, 'api'::regnamespace, 'internal'::regnamespace)
            AND c.relowner <> 'jiokidz_owner'::regrole
    ),
    NULL::text[],
    'jiokidz_owner owns every table, sequence and index of schemas store, api and internal'
);

SELECT is(
    (
        SELECT array_agg(format('%s (%s)', p.oid::regprocedure, p.proowner::regrole) ORDER BY 1)
        FROM pg_catalog.pg_proc AS p
        WHERE
            p.pronamespace IN ('store'::regnamespace, 'api'::regnamespace, 'internal'::regnamespace)
            AND p.proowner <> 'jiokidz_owner'::regrole
    ),
    NULL::text[],
    'jiokidz_owner owns every function of schemas store, api and internal'
);

SELECT is(
    (
        SELECT array_agg(format('%s (%s)', t.oid::regtype, t.typowner::regrole) ORDER BY 1)
        FROM pg_catalog.pg_type AS t
        WHERE
            t.typnamespace IN ('store'::regnamespace, 'api'::regnamespace, 'internal'::regnamespace)
            AND t.typowner <> 'jiokidz_owner'::regrole
    ),
    NULL::text[],
    'jiokidz_owner owns every type of schemas store, api and internal'
);

-- The owner is no superuser either: a SECURITY DEFINER function runs with exactly its rights.
SELECT is(
    (
        SELECT array_agg(r.rolname::text ORDER BY r.rolname)
        FROM pg_catalog.pg_roles AS r
        WHERE
            r.rolname IN ('jiokidz_owner', 'jiokidz_api', 'jiokidz_worker', 'jiokidz_readonly')
            AND (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls)
    ),
    NULL::text[],
    'no store role is a superuser or may create roles or databases, replicate or bypass RLS'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
