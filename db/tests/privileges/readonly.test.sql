-- Analysts' logins are members of jiokidz_readonly: they read every table of schema store but
-- the three that hold login secrets (keyed hashes of OTP codes and of refresh tokens, and the
-- outbox, whose otp.requested events carry a code until published), and write none. Read
-- from the catalog: a table added later is covered.
BEGIN;

SELECT plan(4);

SELECT ok(
    has_schema_privilege('jiokidz_readonly', 'store', 'USAGE'),
    'jiokidz_readonly has USAGE on schema store'
);

SELECT is(
    (
        SELECT array_agg(c.oid::regclass::text ORDER BY c.relname)
        FROM pg_catalog.pg_class AS c
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            AND c.relname NOT IN ('otp_verifications', 'refresh_tokens', 'outbox_events')
            AND NOT has_table_privilege('jiokidz_readonly', c.oid, 'SELECT')
    ),
    NULL::text[],
    'jiokidz_readonly may SELECT every table of schema store but the login secrets'
);

-- refresh_tokens and outbox_events may not exist yet: to_regclass answers NULL for them and
-- they are left out.
SELECT is(
    (
        SELECT array_agg(t.name::text ORDER BY t.name)
        FROM (
            VALUES ('store.otp_verifications'), ('store.refresh_tokens'), ('store.outbox_events')
        ) AS t (name)
        WHERE
            to_regclass(t.name) IS NOT NULL
            AND has_any_column_privilege('jiokidz_readonly', to_regclass(t.name), 'SELECT')
    ),
    NULL::text[],
    'jiokidz_readonly may read no column of store.otp_verifications, refresh_tokens and outbox_events'
);

-- Writing a sequence (nextval, setval) takes UPDATE on it.
SELECT is(
    (
        SELECT array_agg(w.what ORDER BY w.what)
        FROM (
            SELECT format('%s %s', c.oid::regclass, t.privilege) AS what
            FROM pg_catalog.pg_class AS c
            CROSS JOIN
                (
                    VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')
                ) AS t (privilege)
            WHERE
                c.relnamespace = 'store'::regnamespace
                AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                AND (
                    has_table_privilege('jiokidz_readonly', c.oid, t.privilege)
                    OR (
                        t.privilege IN ('INSERT', 'UPDATE', 'REFERENCES')
                        AND has_any_column_privilege('jiokidz_readonly', c.oid, t.privilege)
                    )
                )
            UNION ALL
            SELECT format('%s UPDATE', c.oid::regclass)
            FROM pg_catalog.pg_class AS c
            WHERE
                c.relnamespace = 'store'::regnamespace
                AND c.relkind = 'S'
                -- has_sequence_privilege raises on any other relation: filter first.
                AND CASE
                    WHEN c.relkind = 'S' THEN has_sequence_privilege('jiokidz_readonly', c.oid, 'UPDATE')
                END
        ) AS w
    ),
    NULL::text[],
    'jiokidz_readonly may write no table or sequence of schema store'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
