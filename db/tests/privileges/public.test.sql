-- PUBLIC (every role, grantee 0 in an ACL) holds nothing: not on the database, not on the
-- schemas, not on any table, column, sequence or function of store, api and internal. A NULL
-- ACL means the defaults, so each ACL is read through acldefault: a function's default grants
-- PUBLIC EXECUTE, a table's and a sequence's grant it nothing. Read from the catalog: an object
-- added later is covered. On failure "have" names each object and what PUBLIC holds on it.
BEGIN;

SELECT plan(5);

SELECT is(
    (
        SELECT array_agg(a.privilege_type::text ORDER BY a.privilege_type)
        FROM pg_catalog.pg_database AS d
        CROSS JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) AS a
        WHERE d.datname = current_database() AND a.grantee = 0
    ),
    NULL::text[],
    'PUBLIC holds nothing on the database (no CONNECT, no TEMPORARY)'
);

SELECT is(
    (
        SELECT array_agg(format('%s %s', n.nspname, a.privilege_type) ORDER BY 1)
        FROM pg_catalog.pg_namespace AS n
        CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) AS a
        WHERE n.nspname IN ('public', 'store', 'api', 'internal') AND a.grantee = 0
    ),
    NULL::text[],
    'PUBLIC holds nothing on schemas public, store, api and internal'
);

SELECT is(
    (
        SELECT array_agg(format('%s %s', c.oid::regclass, a.privilege_type) ORDER BY 1)
        FROM pg_catalog.pg_class AS c
        CROSS JOIN
            LATERAL aclexplode(coalesce(
                c.relacl,
                CASE
                    WHEN c.relkind = 'S' THEN acldefault('s', c.relowner) ELSE acldefault('r', c.relowner)
                END
            )) AS a
        WHERE
            c.relnamespace IN ('store'::regnamespace, 'api'::regnamespace, 'internal'::regnamespace)
            AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
            AND a.grantee = 0
    ),
    NULL::text[],
    'PUBLIC holds nothing on any table or sequence of schemas store, api and internal'
);

SELECT is(
    (
        SELECT array_agg(format('%s.%I %s', c.oid::regclass, t.attname, a.privilege_type) ORDER BY 1)
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS t ON c.oid = t.attrelid AND t.attacl IS NOT NULL
        CROSS JOIN LATERAL aclexplode(t.attacl) AS a
        WHERE
            c.relnamespace IN ('store'::regnamespace, 'api'::regnamespace, 'internal'::regnamespace)
            AND a.grantee = 0
    ),
    NULL::text[],
    'PUBLIC holds nothing on any column of schemas store, api and internal'
);

SELECT is(
    (
        SELECT array_agg(format('%s %s', p.oid::regprocedure, a.privilege_type) ORDER BY 1)
        FROM pg_catalog.pg_proc AS p
        CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
        WHERE
            p.pronamespace IN ('store'::regnamespace, 'api'::regnamespace, 'internal'::regnamespace)
            AND a.grantee = 0
    ),
    NULL::text[],
    'PUBLIC may execute no function of schemas store, api and internal'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
