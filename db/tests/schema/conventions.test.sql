-- Conventions every table of schema store follows, checked from the catalog so that a table
-- added later is covered without touching this file. Each assertion collects the offenders
-- and expects none: on failure the "have" line names every table or column that breaks it.
BEGIN;

SELECT plan(11);

-- 1. Every table is documented: COMMENT ON TABLE.
SELECT is(
    (
        SELECT array_agg(c.oid::regclass::text ORDER BY c.relname)
        FROM pg_catalog.pg_class AS c
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND coalesce(btrim(obj_description(c.oid, 'pg_class')), '') = ''
    ),
    NULL::text[],
    'every table in schema store has a COMMENT'
);

-- 1b. Every column is documented: COMMENT ON COLUMN.
SELECT is(
    (
        SELECT array_agg(format('%s.%I', c.oid::regclass, a.attname) ORDER BY c.relname, a.attnum)
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS a
            ON c.oid = a.attrelid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND coalesce(btrim(col_description(c.oid, a.attnum)), '') = ''
    ),
    NULL::text[],
    'every column in schema store has a COMMENT'
);

-- 2. Every foreign key is backed by an index whose leading columns are the key's columns, in
-- the key's order. The index must be valid and not partial: a partial index cannot serve the
-- lookup PostgreSQL runs on the referencing table when a referenced row is deleted or its key
-- changes, nor a join on the key.
SELECT is(
    (
        SELECT
            array_agg(
                format(
                    '%s (%s) [%s]', k.conrelid::regclass,
                    (
                        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY u.n)
                        FROM unnest(k.conkey) WITH ORDINALITY AS u (attnum, n)
                        INNER JOIN pg_catalog.pg_attribute AS a
                            ON a.attrelid = k.conrelid AND u.attnum = a.attnum
                    ),
                    k.conname
                )
                ORDER BY k.conrelid::regclass::text, k.conname
            )
        FROM pg_catalog.pg_constraint AS k
        WHERE
            k.connamespace = 'store'::regnamespace
            AND k.contype = 'f'
            AND NOT EXISTS (
                SELECT
                FROM pg_catalog.pg_index AS i
                WHERE
                    i.indrelid = k.conrelid
                    AND i.indisvalid
                    AND i.indpred IS NULL
                    AND (string_to_array(i.indkey::text, ' ')::smallint[])[
                        1:cardinality(k.conkey)
                    ] = k.conkey
            )
    ),
    NULL::text[],
    'every foreign key in schema store has a full index led by its columns'
);

-- 3. Every user-owned table (one with a user_id column) has user_id in its primary key, so it
-- can be sharded by user; store.users itself is keyed by id.
SELECT is(
    (
        SELECT array_agg(c.oid::regclass::text ORDER BY c.relname)
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS a
            ON c.oid = a.attrelid AND a.attname = 'user_id' AND NOT a.attisdropped
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND c.relname <> 'users'
            AND NOT EXISTS (
                SELECT
                FROM pg_catalog.pg_constraint AS pk
                WHERE
                    pk.conrelid = c.oid
                    AND pk.contype = 'p'
                    AND a.attnum = any(pk.conkey)
            )
    ),
    NULL::text[],
    'every user-owned table in schema store has user_id in its primary key'
);

-- 3b. A foreign key between two user-owned tables pairs user_id with user_id, so a row can
-- only point at rows of the same user (and sharded tables stay co-located).
SELECT is(
    (
        SELECT
            array_agg(
                format('%s [%s]', k.conrelid::regclass, k.conname)
                ORDER BY k.conrelid::regclass::text, k.conname
            )
        FROM pg_catalog.pg_constraint AS k
        INNER JOIN pg_catalog.pg_attribute AS child
            ON k.conrelid = child.attrelid AND child.attname = 'user_id' AND NOT child.attisdropped
        INNER JOIN pg_catalog.pg_attribute AS parent
            ON k.confrelid = parent.attrelid AND parent.attname = 'user_id' AND NOT parent.attisdropped
        WHERE
            k.connamespace = 'store'::regnamespace
            AND k.contype = 'f'
            AND NOT EXISTS (
                SELECT
                FROM unnest(k.conkey, k.confkey) AS pair (fk_attnum, pk_attnum)
                WHERE pair.fk_attnum = child.attnum AND pair.pk_attnum = parent.attnum
            )
    ),
    NULL::text[],
    'every foreign key between user-owned tables in schema store matches user_id to user_id'
);

-- 4. Money is bigint paise: never numeric, float, integer or money.
SELECT is(
    (
        SELECT
            array_agg(
                format('%s.%I %s', c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod))
                ORDER BY c.relname, a.attnum
            )
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS a
            ON c.oid = a.attrelid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND (
                a.attname = any(ARRAY[
                    'price', 'mrp', 'subtotal', 'discount', 'shipping', 'total', 'amount',
                    'amount_captured', 'amount_refunded', 'unit_price', 'line_total',
                    'max_discount', 'min_order_value', 'discount_value'
                ])
                OR a.attname ~ '(^amount_|_(amount|price|total|discount)$)'
            )
            AND a.atttypid <> 'bigint'::regtype
    ),
    NULL::text[],
    'every money column in schema store is bigint'
);

-- 5. Every status column is constrained to its allowed values by a CHECK on that column alone
-- (or is an enum).
SELECT is(
    (
        SELECT array_agg(format('%s.%I', c.oid::regclass, a.attname) ORDER BY c.relname)
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS a
            ON c.oid = a.attrelid AND a.attname = 'status' AND NOT a.attisdropped
        INNER JOIN pg_catalog.pg_type AS t ON a.atttypid = t.oid
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND t.typtype <> 'e'
            AND NOT EXISTS (
                SELECT
                FROM pg_catalog.pg_constraint AS ck
                WHERE
                    ck.conrelid = c.oid
                    AND ck.contype = 'c'
                    AND ck.conkey = ARRAY[a.attnum]
            )
    ),
    NULL::text[],
    'every status column in schema store has a CHECK constraint'
);

-- 6. Time is timestamptz: no timestamp without time zone, no time, and every *_at is one.
SELECT is(
    (
        SELECT
            array_agg(
                format('%s.%I %s', c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod))
                ORDER BY c.relname, a.attnum
            )
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS a
            ON c.oid = a.attrelid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND (
                a.atttypid IN (
                    'timestamp'::regtype, 'time'::regtype, 'timetz'::regtype
                )
                OR (a.attname LIKE '%\_at' AND a.atttypid <> 'timestamptz'::regtype)
            )
    ),
    NULL::text[],
    'every point in time in schema store is a timestamptz'
);

-- 7. Every table has a primary key.
SELECT is(
    (
        SELECT array_agg(c.oid::regclass::text ORDER BY c.relname)
        FROM pg_catalog.pg_class AS c
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND NOT EXISTS (
                SELECT
                FROM pg_catalog.pg_constraint AS pk
                WHERE pk.conrelid = c.oid AND pk.contype = 'p'
            )
    ),
    NULL::text[],
    'every table in schema store has a primary key'
);

-- 8. Ids are handed out by the database, never chosen by a client.
SELECT is(
    (
        SELECT array_agg(format('%s.id', c.oid::regclass) ORDER BY c.relname)
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS a
            ON c.oid = a.attrelid AND a.attname = 'id' AND NOT a.attisdropped
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND a.attidentity <> 'a'
    ),
    NULL::text[],
    'every id column in schema store is GENERATED ALWAYS AS IDENTITY'
);

-- 9. Every user_id has the type of store.users.id (bigint): the shard key compares and joins
-- without casts, and co-located tables need one distribution column type.
SELECT is(
    (
        SELECT
            array_agg(
                format('%s.user_id %s', c.oid::regclass, format_type(a.atttypid, a.atttypmod))
                ORDER BY c.relname
            )
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_attribute AS a
            ON c.oid = a.attrelid AND a.attname = 'user_id' AND NOT a.attisdropped
        WHERE
            c.relnamespace = 'store'::regnamespace
            AND c.relkind IN ('r', 'p')
            AND a.atttypid <> 'bigint'::regtype
    ),
    NULL::text[],
    'every user_id column in schema store is bigint, like store.users.id'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
