-- Two keys that sharding by user (docs/scaling.md) cannot keep, changed so that the tables
-- distributed by user_id can be distributed as they are (db/tests/sharding/ checks the keys):
-- - order_status_history.actor_user_id named the customer or staff member through a foreign
--   key to store.users (id). Sharded, a staff member lives on another node than the order, and
--   Citus keeps a foreign key between distributed tables only when it pairs their distribution
--   columns (user_id with users.id). The procedures set it only to the caller that
--   internal.require_user has just checked; internal.check_invariants (rule
--   status_actors_exist) now checks it from the rows. Its index stays, for audits of what one
--   staff member changed.
-- - payment_attempts.event_id was unique across every user. An event concerns one payment, and
--   store.webhook_events keeps each event id once for the whole store (its primary key, which
--   stays enforceable when that table is distributed by event_id); the attempts now keep it
--   once per user, which one shard can check alone. No row changes.
ALTER TABLE store.order_status_history DROP CONSTRAINT order_status_history_actor_user_id_fkey;

ALTER TABLE store.payment_attempts
DROP CONSTRAINT payment_attempts_event_id_key,
ADD CONSTRAINT payment_attempts_one_per_event UNIQUE (user_id, event_id);

COMMENT ON COLUMN store.order_status_history.actor_user_id IS
'The customer or staff member; NULL for system and gateway. Checked by check_invariants, not a foreign key.';
COMMENT ON COLUMN store.payment_attempts.event_id IS
'Webhook event id (X-Razorpay-Event-Id); unique per user (webhook_events holds it once for the store).';
