-- admin_orders_query: the statement api.admin_list_orders runs: the orders matching the
-- filters given, newest first (created_at DESC, id DESC), after a keyset cursor, at most
-- p_limit. Only the filters given are in its text, and their values are quoted literals (%L),
-- so each shape is planned for its own index and the statement can be pasted into psql
-- (EXPLAIN included: db/tests/admin_list_orders/plans.test.sql):
--   nothing, or dates only:  orders_created_at (created_at, id), read backwards;
--   a status:                orders_status_created_at (status, created_at, id);
--   a customer (phone):      orders_user_created_at (user_id, created_at DESC, id DESC).
-- p_created_from inclusive, p_created_to exclusive; the cursor is the (created_at, id) of the
-- last order of the previous page.
-- Locks nothing. Returns the SQL text (a SELECT of one column, the store.orders row o).
CREATE FUNCTION internal.admin_orders_query(
    p_status text,
    p_created_from timestamptz,
    p_created_to timestamptz,
    p_customer_id bigint,
    p_after_created_at timestamptz,
    p_after_id bigint,
    p_limit integer
)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT concat_ws(
        E'\n',
        'SELECT o FROM store.orders AS o WHERE TRUE',
        CASE WHEN p_customer_id IS NOT NULL THEN format('AND o.user_id = %L', p_customer_id) END,
        CASE WHEN p_status IS NOT NULL THEN format('AND o.status = %L', p_status) END,
        CASE WHEN p_created_from IS NOT NULL THEN format('AND o.created_at >= %L', p_created_from) END,
        CASE WHEN p_created_to IS NOT NULL THEN format('AND o.created_at < %L', p_created_to) END,
        CASE
            WHEN p_after_id IS NOT NULL
                THEN format('AND (o.created_at, o.id) < (%L::timestamptz, %L::bigint)', p_after_created_at, p_after_id)
        END,
        format('ORDER BY o.created_at DESC, o.id DESC LIMIT %L::integer', p_limit)
    )
$$;
