-- sweep: closes unpaid orders past their window, releases the remaining expired reservations
-- and deletes Idempotency-Key answers older than 24 h, and says how many of each; its answer
-- holds the seven counts of a run (refresh_tokens.test.sql, refunds_requeued.test.sql,
-- events_deleted.test.sql and refresh_popularity/ test the others).
BEGIN;

SELECT plan(4);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.make_unpaid_order('a_');
    UPDATE store.orders SET payment_due_at = now() - interval '1 second' WHERE id = tests.id('a_order');
    -- A reservation that lapsed although its order's window is still open.
    PERFORM tests.set_id('lapsed', tests.make_reservation(tests.make_product(), 1));
    UPDATE store.inventory_locks SET expires_at = now() - interval '1 second'
    WHERE id = tests.id('lapsed');
    PERFORM internal.remember_response(v_user, 'create_order', 'old', '{}', '{}');
    PERFORM internal.remember_response(v_user, 'create_order', 'new', '{}', '{}');
    UPDATE store.idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old';
    -- Anything else already past its time in the database is swept too: count only ours.
    PERFORM tests.set_json('swept', api.sweep());
END
$$;

SELECT is(
    (SELECT array_agg(k.key ORDER BY k.key) FROM jsonb_each(tests.json('swept')) AS k (key, value)),
    ARRAY[
        'events_deleted', 'idempotency_keys_deleted', 'orders_expired', 'products_ranked',
        'refresh_tokens_deleted', 'refunds_requeued', 'reservations_released'
    ],
    'the answer counts each kind of work'
);
SELECT cmp_ok((tests.json('swept') ->> 'orders_expired')::integer, '>=', 1, 'orders expired');
SELECT cmp_ok((tests.json('swept') ->> 'reservations_released')::integer, '>=', 1, 'reservations released');
SELECT is(
    (
        SELECT array_agg(k.key) FROM store.idempotency_keys AS k
        WHERE k.user_id = tests.id('user')
    ),
    ARRAY['new'], 'the key older than 24 h is deleted, the other kept'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
