-- The web tier (jiokidz_api) and the worker (jiokidz_worker) reach the data only through the
-- `api` functions, which run as the owner: no privilege on any table, column or sequence of
-- schema store, no USAGE on the schemas that hold data or helpers, no CREATE anywhere, no
-- temporary tables. Read from the catalog: a table added later is covered. On failure "have"
-- names each role, object and privilege.
BEGIN;

SELECT plan(8);

-- The checks below must have something to check.
SELECT cmp_ok(
    (
        SELECT count(*)::integer
        FROM pg_catalog.pg_class
        WHERE relnamespace = 'store'::regnamespace AND relkind IN ('r', 'p')
    ),
    '>=', 20,
    'schema store holds the tables'
);

SELECT is(
    (
        SELECT array_agg(format('%s: %s %s', r.role, c.oid::regclass, t.privilege) ORDER BY 1)
        FROM pg_catalog.pg_class AS c
        CROSS JOIN (VALUES ('jiokidz_api'), ('jiokidz_worker')) AS r (role)
        CROSS JOIN
            (
                VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'),
                ('TRIGGER')
            ) AS t (privilege)
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            AND has_table_privilege(r.role, c.oid, t.privilege)
    ),
    NULL::text[],
    'jiokidz_api and jiokidz_worker hold no privilege on any table of schema store'
);

-- A grant on a single column is not a table privilege; has_any_column_privilege sees both.
SELECT is(
    (
        SELECT array_agg(format('%s: %s %s', r.role, c.oid::regclass, t.privilege) ORDER BY 1)
        FROM pg_catalog.pg_class AS c
        CROSS JOIN (VALUES ('jiokidz_api'), ('jiokidz_worker')) AS r (role)
        CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('REFERENCES')) AS t (privilege)
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            AND has_any_column_privilege(r.role, c.oid, t.privilege)
    ),
    NULL::text[],
    'jiokidz_api and jiokidz_worker hold no privilege on any column of schema store'
);

SELECT is(
    (
        SELECT array_agg(format('%s: %s %s', r.role, c.oid::regclass, t.privilege) ORDER BY 1)
        FROM pg_catalog.pg_class AS c
        CROSS JOIN (VALUES ('jiokidz_api'), ('jiokidz_worker')) AS r (role)
        CROSS JOIN (VALUES ('USAGE'), ('SELECT'), ('UPDATE')) AS t (privilege)
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind = 'S'
            -- has_sequence_privilege raises on any other relation: filter first.
            AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(r.role, c.oid, t.privilege) END
    ),
    NULL::text[],
    'jiokidz_api and jiokidz_worker hold no privilege on any sequence of schema store'
);

SELECT is(
    (
        SELECT array_agg(format('%s: %s', r.role, s.schema) ORDER BY 1)
        FROM (VALUES ('jiokidz_api'), ('jiokidz_worker')) AS r (role)
        CROSS JOIN (VALUES ('store'), ('internal'), ('public')) AS s (schema)
        WHERE has_schema_privilege(r.role, s.schema, 'USAGE')
    ),
    NULL::text[],
    'jiokidz_api and jiokidz_worker have no USAGE on schemas store, internal and public'
);

SELECT is(
    (
        SELECT array_agg(format('%s: %s', r.role, n.nspname) ORDER BY 1)
        FROM pg_catalog.pg_namespace AS n
        CROSS JOIN (VALUES ('jiokidz_api'), ('jiokidz_worker'), ('jiokidz_readonly')) AS r (role)
        WHERE has_schema_privilege(r.role, n.oid, 'CREATE')
    ),
    NULL::text[],
    'jiokidz_api, jiokidz_worker and jiokidz_readonly may CREATE in no schema'
);

SELECT is(
    (
        SELECT array_agg(format('%s: %s', r.role, d.privilege) ORDER BY 1)
        FROM (VALUES ('jiokidz_api'), ('jiokidz_worker'), ('jiokidz_readonly')) AS r (role)
        CROSS JOIN (VALUES ('TEMPORARY'), ('CREATE')) AS d (privilege)
        WHERE has_database_privilege(r.role, current_database(), d.privilege)
    ),
    NULL::text[],
    'jiokidz_api, jiokidz_worker and jiokidz_readonly may make no temporary table and no schema'
);

SELECT is(
    (
        SELECT array_agg(r.role::text ORDER BY r.role)
        FROM (VALUES ('jiokidz_api'), ('jiokidz_worker'), ('jiokidz_readonly')) AS r (role)
        WHERE NOT has_database_privilege(r.role, current_database(), 'CONNECT')
    ),
    NULL::text[],
    'jiokidz_api, jiokidz_worker and jiokidz_readonly may connect'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
