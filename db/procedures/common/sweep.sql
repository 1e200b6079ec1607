-- sweep: the periodic housekeeping, for a scheduler (every minute; docs/dba.md "The sweeper"):
--     * * * * *  psql "$DATABASE_URL" -Atc 'SELECT api.sweep()'
-- Closes unpaid orders past their payment window (expire_unpaid_orders: reservation released,
-- coupon given back), then marks the remaining expired reservations released
-- (release_expired_reservations), then carries units sold to the popularity sort
-- (refresh_popularity), then deletes Idempotency-Key answers older than
-- idempotency_key_ttl() and at most 10,000 refresh tokens past their expiry (a token past it is
-- refused anyway), oldest first. Then the events: a refund still pending without a gateway id
-- 15 minutes after its last refund.requested event gets another (its message was
-- dead-lettered, or the refund predates the outbox; the gateway's idempotency key makes a
-- repeat harmless), and at most 10,000 published events and as many processed-message records
-- older than a week are deleted. Skips rows other transactions hold; safe to run concurrently.
-- Returns {"orders_expired", "reservations_released", "products_ranked", "idempotency_keys_deleted",
-- "refresh_tokens_deleted", "refunds_requeued", "events_deleted"}.
CREATE FUNCTION api.sweep()
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_orders integer := internal.expire_unpaid_orders();
    v_reservations integer := internal.release_expired_reservations();
    v_ranked integer := internal.refresh_popularity();
    v_keys integer;
    v_tokens integer;
    v_refund store.refunds;
    v_requeued integer;
    v_events integer;
BEGIN
    DELETE FROM store.idempotency_keys WHERE created_at <= now() - internal.idempotency_key_ttl();
    GET DIAGNOSTICS v_keys = ROW_COUNT;
    -- In batches: a backlog (the first run) is worked off a minute at a time.
    DELETE FROM store.refresh_tokens AS t
    USING (
        SELECT r.user_id, r.token_hash FROM store.refresh_tokens AS r
        WHERE r.expires_at <= now()
        ORDER BY r.expires_at
        LIMIT 10000
        FOR UPDATE SKIP LOCKED
    ) AS expired
    WHERE t.user_id = expired.user_id AND t.token_hash = expired.token_hash;
    GET DIAGNOSTICS v_tokens = ROW_COUNT;

    v_requeued := 0;
    FOR v_refund IN
        UPDATE store.refunds AS r SET queued_at = now()
        FROM (
            SELECT u.user_id, u.id FROM store.refunds AS u
            WHERE u.status = 'pending' AND u.gateway_refund_id IS NULL
                AND u.queued_at <= now() - interval '15 minutes'
            ORDER BY u.queued_at
            LIMIT 1000
            FOR UPDATE SKIP LOCKED
        ) AS due
        WHERE r.user_id = due.user_id AND r.id = due.id
        RETURNING r.*
    LOOP
        PERFORM internal.emit_refund_requested(v_refund);
        v_requeued := v_requeued + 1;
    END LOOP;

    -- Published a week ago, hence written before that too: the BRIN index on created_at
    -- finds them.
    DELETE FROM store.outbox_events AS e
    USING (
        SELECT o.user_id, o.id FROM store.outbox_events AS o
        WHERE o.created_at <= now() - interval '7 days'
            AND o.published_at <= now() - interval '7 days'
        LIMIT 10000
        FOR UPDATE SKIP LOCKED
    ) AS old
    WHERE e.user_id = old.user_id AND e.id = old.id;
    GET DIAGNOSTICS v_events = ROW_COUNT;
    DELETE FROM store.processed_messages AS m
    USING (
        SELECT p.event_id, p.consumer FROM store.processed_messages AS p
        WHERE p.processed_at <= now() - interval '7 days'
        ORDER BY p.event_id
        LIMIT 10000
        FOR UPDATE SKIP LOCKED
    ) AS old
    WHERE m.event_id = old.event_id AND m.consumer = old.consumer;

    RETURN jsonb_build_object(
        'orders_expired', v_orders,
        'reservations_released', v_reservations,
        'products_ranked', v_ranked,
        'idempotency_keys_deleted', v_keys,
        'refresh_tokens_deleted', v_tokens,
        'refunds_requeued', v_requeued,
        'events_deleted', v_events
    );
END
$$;
