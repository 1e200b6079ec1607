-- admin_list_orders: each filter is read from an index, not by reading store.orders whole.
-- EXPLAIN of the statement the procedure runs (internal.admin_orders_query) over 20,000 orders
-- of 200 customers spread over a year, with fresh statistics: the index named for each shape.
BEGIN;

SELECT plan(5);

DO $$
DECLARE
    v_users bigint[];
BEGIN
    SELECT array_agg(tests.make_user()) INTO v_users FROM generate_series(1, 200);
    INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    SELECT u, 'Plan Test', '+919876543210', '1 Main Road', 'Pune', 'Maharashtra', '411001'
    FROM unnest(v_users) AS u;
    INSERT INTO store.orders (user_id, status, address_id, address, subtotal, total, payment_due_at, created_at)
    SELECT
        v_users[1 + g % 200], (ARRAY['confirmed', 'delivered', 'shipped', 'cancelled', 'expired'])[1 + g % 5],
        a.id, '{}'::jsonb, 1000, 1000, now(), now() - (g || ' minutes')::interval * 26
    FROM generate_series(1, 20000) AS g
    INNER JOIN store.addresses AS a ON a.user_id = v_users[1 + g % 200];
    PERFORM tests.set_id('customer', v_users[7]);
    ANALYZE store.orders;
    ANALYZE store.users;
END
$$;

-- The plan of the statement, as text (FORMAT TEXT: node names and index names).
CREATE FUNCTION pg_temp.plan_of(p_sql text)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_line text;
    v_plan text := '';
BEGIN
    FOR v_line IN EXECUTE 'EXPLAIN ' || p_sql LOOP
        v_plan := v_plan || v_line || E'\n';
    END LOOP;
    RETURN v_plan;
END
$$;

SELECT matches(
    pg_temp.plan_of(internal.admin_orders_query(NULL, NULL, NULL, NULL, NULL, NULL, 21)),
    'Index Scan Backward using orders_created_at on orders',
    'everything, newest first: orders_created_at'
);
SELECT matches(
    pg_temp.plan_of(internal.admin_orders_query('shipped', NULL, NULL, NULL, NULL, NULL, 21)),
    'Index Scan Backward using orders_status_created_at on orders',
    'one status: orders_status_created_at'
);
SELECT matches(
    pg_temp.plan_of(
        internal.admin_orders_query(
            NULL, now() - interval '3 days', now() - interval '2 days', NULL, NULL, NULL, 21
        )
    ),
    'using orders_created_at on orders',
    'a date range: orders_created_at'
);
SELECT matches(
    pg_temp.plan_of(internal.admin_orders_query(NULL, NULL, NULL, tests.id('customer'), NULL, NULL, 21)),
    'using orders_user_created_at on orders',
    'one customer: orders_user_created_at'
);
SELECT matches(
    pg_temp.plan_of(
        internal.admin_orders_query('delivered', NULL, NULL, NULL, now() - interval '100 days', 10000, 21)
    ),
    'Index Cond: \(\(status = ''delivered''::text\) AND \(ROW\(created_at, id\) < ROW',
    'a later page starts in the index at the cursor'
);
SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
