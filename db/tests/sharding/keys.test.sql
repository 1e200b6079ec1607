-- The two keys db/tables/400_sharding_keys.sql changed so that the user-owned tables can be
-- distributed by user_id: what each still guarantees, and where the rest is checked now.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.make_paid_order('p_');
    PERFORM tests.set_id('staff', tests.make_user());
    UPDATE store.users SET is_staff = TRUE WHERE id = tests.id('staff');
    PERFORM api.update_order_status(tests.id('staff'), tests.id('p_order'), 'packed', 'packed by staff');
END
$$;

-- order_status_history.actor_user_id: no foreign key to store.users; check_invariants checks it.
SELECT is(
    (
        SELECT array_agg(k.conname::text ORDER BY k.conname)
        FROM pg_catalog.pg_constraint AS k
        WHERE k.conrelid = 'store.order_status_history'::regclass AND k.contype = 'f'
    ),
    ARRAY['order_status_history_user_id_order_id_fkey'],
    'order_status_history refers to its order (user_id, order_id) only'
);
SELECT is(
    tests.broken_rules(), '{}'::text[],
    'a staff member''s status change breaks no invariant'
);
SELECT is(
    tests.rules_broken_by(format('DELETE FROM store.users WHERE id = %s', tests.id('staff'))),
    ARRAY['status_actors_exist'],
    'check_invariants reports a status change naming a user who no longer exists'
);

-- payment_attempts.event_id: once per user; webhook_events holds each event once for the store.
SELECT col_is_unique(
    'store', 'payment_attempts', ARRAY['user_id', 'event_id'],
    'payment_attempts keeps each webhook event once per user'
);
SELECT throws_ok(
    format(
        $$INSERT INTO store.payment_attempts (user_id, payment_id, source, status, event_id)
          SELECT p.user_id, p.id, 'webhook', 'failed', e.event_id
          FROM store.payments AS p
          CROSS JOIN (VALUES ('evt_keys_test'), ('evt_keys_test')) AS e (event_id)
          WHERE p.order_id = %s$$,
        tests.id('p_order')
    ),
    '23505', NULL,
    'a second attempt of one user for one webhook event is refused'
);
SELECT col_is_pk(
    'store', 'webhook_events', ARRAY['event_id'],
    'webhook_events keeps each event id once for the whole store (its distribution column)'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
