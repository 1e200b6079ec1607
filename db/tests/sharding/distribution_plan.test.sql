-- Ready to shard by user_id (docs/scaling.md): every table of schema store has a distribution
-- plan, and its keys, foreign keys and triggers are ones Citus can keep under that plan. Read
-- from the catalog alone, so a table added later is checked without touching this file.
--
-- The plan is the last sentence of each table's COMMENT (db/tables/410_distribution_plan.sql):
--   Sharding: distributed by <column>.                 hash-distributed, first of its group
--   Sharding: distributed by <column> with store.<t>.  co-located with <t> (same shards)
--   Sharding: reference table.                         a copy on every node
--   Sharding: on the coordinator.                      one copy, on the coordinator
--
-- The rules, each named as it appears in the offenders below:
--   plan                 a table's COMMENT ends with exactly one plan
--   distribution_column  a distributed table's column exists and is NOT NULL
--   colocation           "with store.<t>": <t> is distributed, first of its group, and its
--                        distribution column has the same type
--   user_owned           a table with a user_id column (user-owned) is distributed by user_id
--                        with store.users, which is distributed by its id: one user's rows
--                        are on one node
--   unique_key           every primary key, unique constraint and unique index of a
--                        distributed table has its distribution column among its key columns
--                        (Citus enforces uniqueness within a shard only)
--   foreign_key          a foreign key is one Citus keeps: between co-located distributed
--                        tables pairing their distribution columns (so user_id with user_id,
--                        or with users.id), from a distributed or reference table or a table
--                        on the coordinator to a reference table, between tables on the
--                        coordinator, and from a reference table to one on the coordinator
--                        without cascading actions
--   trigger              no trigger on a distributed or reference table: Citus refuses them
--                        (unless citus.enable_unsafe_triggers, which runs them on each shard
--                        or each copy); tables on the coordinator keep theirs
--   identity             identity columns of distributed tables are bigint: Citus hands each
--                        node its own range of a bigint sequence, so rows inserted on any
--                        node get ids unique across the store
--
-- A deliberate exception is named in pg_temp.sharding_exceptions with its reason, and must
-- still be needed. The last part builds tables that break each rule and checks that each is
-- reported, so that a rule cannot pass by matching nothing.
BEGIN;

SELECT plan(12);

-- Each table of schema store (not partitions: their parent stands for them) with the plan its
-- COMMENT ends with; method is NULL when there is none.
CREATE FUNCTION pg_temp.sharding_plan()
RETURNS TABLE (
    table_oid oid, plans integer, method text, dist_column name, colocate_with text
)
LANGUAGE sql
STABLE
AS $$
    SELECT
        c.oid,
        cardinality(array(SELECT regexp_matches(d.comment, 'Sharding:', 'g'))),
        CASE
            WHEN m.plan[1] IS NOT NULL THEN 'distributed'
            WHEN m.plan[3] IS NOT NULL THEN 'reference'
            WHEN m.plan[4] IS NOT NULL THEN 'coordinator'
        END,
        m.plan[1]::name,
        m.plan[2]
    FROM pg_catalog.pg_class AS c
    CROSS JOIN LATERAL (
        SELECT coalesce(obj_description(c.oid, 'pg_class'), '') AS comment
    ) AS d
    CROSS JOIN LATERAL (
        SELECT
            regexp_match(
                d.comment,
                'Sharding: (?:distributed by ([a-z_][a-z0-9_]*)(?: with (store\.[a-z_][a-z0-9_]*))?'
                '|(reference table)|(on the coordinator))\.$'
            ) AS plan
    ) AS m
    WHERE
        c.relnamespace = 'store'::regnamespace
        AND c.relkind IN ('r', 'p')
        AND NOT c.relispartition
$$;

-- Every (rule, object) the schema breaks. Objects: a table (store.orders), a key, foreign key
-- or index with its table (store.users users_phone_key), a column (store.orders.id).
CREATE FUNCTION pg_temp.sharding_violations()
RETURNS TABLE (rule text, object text)
LANGUAGE sql
STABLE
AS $$
    WITH plans AS (
        SELECT
            p.table_oid,
            p.plans,
            p.method,
            p.dist_column,
            p.colocate_with,
            to_regclass(p.colocate_with)::oid AS colocated,
            a.attnum AS dist_attnum,
            a.atttypid AS dist_type,
            a.attnotnull AS dist_not_null
        FROM pg_temp.sharding_plan() AS p
        LEFT JOIN pg_catalog.pg_attribute AS a
            ON
                p.table_oid = a.attrelid
                AND p.dist_column = a.attname
                AND a.attnum > 0
                AND NOT a.attisdropped
    ),

    -- Distributed tables with their co-location group: the table they name, or themselves.
    distributed AS (
        SELECT
            p.*,
            coalesce(p.colocated, p.table_oid) AS anchor
        FROM plans AS p
        WHERE p.method = 'distributed'
    )

    SELECT
        'plan',
        p.table_oid::regclass::text
    FROM plans AS p
    WHERE p.method IS NULL OR p.plans <> 1

    UNION ALL

    SELECT
        'distribution_column',
        format('%s.%s', d.table_oid::regclass, d.dist_column)
    FROM distributed AS d
    WHERE d.dist_attnum IS NULL OR NOT d.dist_not_null

    UNION ALL

    SELECT
        'colocation',
        d.table_oid::regclass::text
    FROM distributed AS d
    LEFT JOIN distributed AS head ON d.colocated = head.table_oid
    WHERE
        d.colocate_with IS NOT NULL
        AND (
            head.table_oid IS NULL
            OR head.colocated IS NOT NULL
            OR head.dist_type IS DISTINCT FROM d.dist_type
        )

    UNION ALL

    SELECT
        'user_owned',
        c.oid::regclass::text
    FROM pg_catalog.pg_class AS c
    INNER JOIN pg_catalog.pg_attribute AS a
        ON c.oid = a.attrelid AND a.attname = 'user_id' AND NOT a.attisdropped
    LEFT JOIN plans AS p ON c.oid = p.table_oid
    WHERE
        c.relnamespace = 'store'::regnamespace
        AND c.relkind IN ('r', 'p')
        AND NOT c.relispartition
        AND NOT coalesce(
            p.method = 'distributed'
            AND p.dist_column = 'user_id'
            AND p.colocated = 'store.users'::regclass,
            FALSE
        )

    UNION ALL

    SELECT
        'user_owned',
        'store.users'
    WHERE NOT EXISTS (
        SELECT
        FROM distributed AS d
        WHERE
            d.table_oid = 'store.users'::regclass
            AND d.dist_column = 'id'
            AND d.colocated IS NULL
    )

    UNION ALL

    SELECT
        'unique_key',
        format('%s %s', d.table_oid::regclass, ic.relname)
    FROM distributed AS d
    INNER JOIN pg_catalog.pg_index AS i
        ON d.table_oid = i.indrelid AND (i.indisunique OR i.indisexclusion)
    INNER JOIN pg_catalog.pg_class AS ic ON i.indexrelid = ic.oid
    WHERE NOT coalesce(
        d.dist_attnum = any((string_to_array(i.indkey::text, ' ')::smallint [])[1:i.indnkeyatts]),
        FALSE
    )

    UNION ALL

    SELECT
        'foreign_key',
        format('%s %s', k.conrelid::regclass, k.conname)
    FROM pg_catalog.pg_constraint AS k
    LEFT JOIN plans AS child ON k.conrelid = child.table_oid
    LEFT JOIN plans AS parent ON k.confrelid = parent.table_oid
    LEFT JOIN distributed AS dchild ON k.conrelid = dchild.table_oid
    LEFT JOIN distributed AS dparent ON k.confrelid = dparent.table_oid
    WHERE
        k.connamespace = 'store'::regnamespace
        AND k.contype = 'f'
        AND NOT coalesce(
            (
                dchild.anchor = dparent.anchor
                AND EXISTS (
                    SELECT
                    FROM unnest(k.conkey, k.confkey) AS pair (child_attnum, parent_attnum)
                    WHERE
                        pair.child_attnum = dchild.dist_attnum
                        AND pair.parent_attnum = dparent.dist_attnum
                )
            )
            OR (
                child.method IN ('distributed', 'reference', 'coordinator')
                AND parent.method = 'reference'
            )
            OR (child.method = 'coordinator' AND parent.method = 'coordinator')
            OR (
                child.method = 'reference'
                AND parent.method = 'coordinator'
                AND k.confdeltype IN ('a', 'r')
                AND k.confupdtype IN ('a', 'r')
            ),
            FALSE
        )

    UNION ALL

    SELECT
        'trigger',
        p.table_oid::regclass::text
    FROM plans AS p
    WHERE
        p.method IN ('distributed', 'reference')
        AND EXISTS (
            SELECT
            FROM pg_catalog.pg_trigger AS t
            WHERE t.tgrelid = p.table_oid AND NOT t.tgisinternal
        )

    UNION ALL

    SELECT
        'identity',
        format('%s.%s', d.table_oid::regclass, a.attname)
    FROM distributed AS d
    INNER JOIN pg_catalog.pg_attribute AS a
        ON d.table_oid = a.attrelid AND a.attidentity <> '' AND NOT a.attisdropped
    WHERE a.atttypid <> 'bigint'::regtype
$$;

-- The deliberate exceptions. Those marked "until the distribution step" are changes that the
-- step itself makes (docs/scaling.md, "Changes at distribution time"); today's single server
-- enforces them and the tests pin them.
CREATE TEMPORARY TABLE sharding_exceptions (
    rule text,
    object text,
    reason text NOT NULL,
    PRIMARY KEY (rule, object)
) ON COMMIT DROP;

INSERT INTO pg_temp.sharding_exceptions (rule, object, reason) VALUES
(
    'plan', 'store.schema_migrations',
    'db/migrate.py''s record of applied files, whose COMMENT it rewrites at every run; it stays '
    'on the coordinator, where make db runs'
),
(
    'user_owned', 'store.inventory_locks',
    'reservations are summed per product at every stock read (internal.stock_of), so they stay '
    'with store.inventory on the coordinator rather than with their orders'
),
(
    'foreign_key', 'store.inventory_locks inventory_locks_user_id_order_id_fkey',
    'until the distribution step: a reservation on the coordinator names its order on a user''s '
    'shard, a foreign key Citus does not keep; the step drops it and check_invariants checks it'
),
(
    'unique_key', 'store.users users_phone_key',
    'until the distribution step: the phone is the login identity; the step moves its '
    'uniqueness to store.user_phones (phone, user_id) on the coordinator, where verify_otp '
    'finds the user id'
),
(
    'unique_key', 'store.payments payments_gateway_order_id_key',
    'until the distribution step: webhooks find a payment by its gateway order id alone; the '
    'step moves its uniqueness to store.gateway_ids, distributed by the gateway id'
),
(
    'unique_key', 'store.payments payments_gateway_payment_id_key',
    'until the distribution step: webhooks find a payment by its gateway payment id alone; the '
    'step moves its uniqueness to store.gateway_ids, distributed by the gateway id'
),
(
    'unique_key', 'store.refunds refunds_gateway_refund_id_key',
    'until the distribution step: webhooks find a refund by its gateway refund id alone; the '
    'step moves its uniqueness to store.gateway_ids, distributed by the gateway id'
),
(
    'trigger', 'store.categories',
    'until the distribution step: notifies the catalog cache; the step moves the notification '
    'into the catalog''s write path'
),
(
    'trigger', 'store.products',
    'until the distribution step: keeps category_product_counts, product_search_terms and '
    'product_summaries, and notifies the catalog cache; the step moves both into the '
    'catalog''s write path'
),
(
    'trigger', 'store.product_images',
    'until the distribution step: defaults content_version, keeps product_summaries and notifies '
    'the catalog cache; the step moves all three into the catalog''s write path'
),
(
    'trigger', 'store.product_search_terms',
    'until the distribution step: keeps search_term_counts; the step moves it into the '
    'catalog''s write path'
),
(
    'trigger', 'store.product_summaries',
    'until the distribution step: notifies the catalog cache of a changed thumbnail; the step '
    'moves it into the catalog''s write path'
);

-- Offenders of one rule that no exception names.
CREATE FUNCTION pg_temp.unexcepted(p_rule text)
RETURNS text[]
LANGUAGE sql
STABLE
AS $$
    SELECT array_agg(v.object ORDER BY v.object)
    FROM pg_temp.sharding_violations() AS v
    WHERE
        v.rule = p_rule
        AND NOT EXISTS (
            SELECT
            FROM pg_temp.sharding_exceptions AS e
            WHERE e.rule = v.rule AND e.object = v.object
        )
$$;

SELECT is(
    pg_temp.unexcepted('plan'), NULL::text[],
    'every table in schema store ends its COMMENT with exactly one distribution plan'
);
SELECT is(
    pg_temp.unexcepted('distribution_column'), NULL::text[],
    'every distributed table is distributed by one of its NOT NULL columns'
);
SELECT is(
    pg_temp.unexcepted('colocation'), NULL::text[],
    'every co-located table names the first table of its group, distributed by the same type'
);
SELECT is(
    pg_temp.unexcepted('user_owned'), NULL::text[],
    'store.users is distributed by id and every user-owned table by user_id with it'
);
SELECT is(
    pg_temp.unexcepted('unique_key'), NULL::text[],
    'every primary key, unique key and unique index of a distributed table has its distribution column'
);
SELECT is(
    pg_temp.unexcepted('foreign_key'), NULL::text[],
    'every foreign key is one Citus keeps under the plan (user_id with user_id between user-owned tables)'
);
SELECT is(
    pg_temp.unexcepted('trigger'), NULL::text[],
    'no trigger on a distributed or reference table'
);
SELECT is(
    pg_temp.unexcepted('identity'), NULL::text[],
    'every identity column of a distributed table is bigint'
);

SELECT is(
    (
        SELECT array_agg(format('%s: %s', e.rule, e.object) ORDER BY e.rule, e.object)
        FROM pg_temp.sharding_exceptions AS e
        WHERE NOT EXISTS (
            SELECT
            FROM pg_temp.sharding_violations() AS v
            WHERE v.rule = e.rule AND v.object = e.object
        )
    ),
    NULL::text[],
    'every named exception is still needed'
);

SELECT is(
    (
        SELECT array_agg(p.method || ' ' || p.table_oid::regclass::text ORDER BY p.table_oid::regclass::text)
        FROM pg_temp.sharding_plan() AS p
        WHERE p.table_oid IN (
            'store.users'::regclass, 'store.orders'::regclass, 'store.products'::regclass,
            'store.inventory'::regclass, 'store.coupons'::regclass, 'store.webhook_events'::regclass
        )
    ),
    ARRAY[
        'reference store.coupons', 'coordinator store.inventory', 'distributed store.orders',
        'reference store.products', 'distributed store.users', 'distributed store.webhook_events'
    ],
    'the plan is read from the comments: users and orders distributed, catalog and coupons '
    'reference tables, stock on the coordinator'
);

-- Each rule reports what breaks it: tables made for this test (rolled back at the end).
CREATE TABLE store.sharding_probe_unplanned (id bigint PRIMARY KEY);
COMMENT ON TABLE store.sharding_probe_unplanned IS 'A table without a plan.';

CREATE TABLE store.sharding_probe_twice (id bigint PRIMARY KEY);
COMMENT ON TABLE store.sharding_probe_twice IS
'Sharding: reference table. Sharding: on the coordinator.';

CREATE TABLE store.sharding_probe_nullable (code text PRIMARY KEY, owner bigint);
COMMENT ON TABLE store.sharding_probe_nullable IS 'Sharding: distributed by owner.';

CREATE TABLE store.sharding_probe_orders_group (
    user_id bigint NOT NULL,
    id integer GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (user_id, id)
);
COMMENT ON TABLE store.sharding_probe_orders_group IS
'Sharding: distributed by user_id with store.orders.';

CREATE TABLE store.sharding_probe_user_rows (
    user_id bigint NOT NULL REFERENCES store.users (id),
    code text NOT NULL,
    buyer_id bigint NOT NULL REFERENCES store.users (id),
    PRIMARY KEY (user_id, code)
);
CREATE UNIQUE INDEX sharding_probe_user_rows_code ON store.sharding_probe_user_rows (code);
CREATE TRIGGER sharding_probe_user_rows_notify
AFTER INSERT ON store.sharding_probe_user_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_catalog_changed();
COMMENT ON TABLE store.sharding_probe_user_rows IS
'Sharding: distributed by user_id with store.users.';

CREATE TABLE store.sharding_probe_user_reference (
    user_id bigint PRIMARY KEY REFERENCES store.users (id)
);
COMMENT ON TABLE store.sharding_probe_user_reference IS 'Sharding: reference table.';

CREATE TABLE store.sharding_probe_local (
    id bigint PRIMARY KEY,
    product_id bigint REFERENCES store.products (id),
    order_user_id bigint,
    order_id bigint,
    FOREIGN KEY (order_user_id, order_id) REFERENCES store.orders (user_id, id)
);
COMMENT ON TABLE store.sharding_probe_local IS 'Sharding: on the coordinator.';

CREATE TABLE store.sharding_probe_cascading (
    id bigint PRIMARY KEY,
    local_id bigint REFERENCES store.sharding_probe_local (id) ON DELETE CASCADE
);
COMMENT ON TABLE store.sharding_probe_cascading IS 'Sharding: reference table.';

SELECT is(
    (
        SELECT array_agg(format('%s: %s', v.rule, v.object) ORDER BY v.rule, v.object)
        FROM pg_temp.sharding_violations() AS v
        WHERE v.object LIKE 'store.sharding\_probe%'
    ),
    ARRAY[
        'colocation: store.sharding_probe_orders_group',
        'distribution_column: store.sharding_probe_nullable.owner',
        'foreign_key: store.sharding_probe_cascading sharding_probe_cascading_local_id_fkey',
        'foreign_key: store.sharding_probe_local sharding_probe_local_order_user_id_order_id_fkey',
        'foreign_key: store.sharding_probe_user_reference sharding_probe_user_reference_user_id_fkey',
        'foreign_key: store.sharding_probe_user_rows sharding_probe_user_rows_buyer_id_fkey',
        'identity: store.sharding_probe_orders_group.id',
        'plan: store.sharding_probe_twice',
        'plan: store.sharding_probe_unplanned',
        'trigger: store.sharding_probe_user_rows',
        'unique_key: store.sharding_probe_nullable sharding_probe_nullable_pkey',
        'unique_key: store.sharding_probe_user_rows sharding_probe_user_rows_code',
        'user_owned: store.sharding_probe_orders_group',
        'user_owned: store.sharding_probe_user_reference'
    ],
    'each rule reports the tables made to break it, and only what breaks it'
);

-- store.users itself: a plan other than "distributed by id" is reported.
COMMENT ON TABLE store.users IS 'Sharding: reference table.';
SELECT is(
    pg_temp.unexcepted('user_owned'),
    ARRAY[
        'store.sharding_probe_orders_group', 'store.sharding_probe_user_reference', 'store.users'
    ],
    'store.users must be distributed by its id'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
