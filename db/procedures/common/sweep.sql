-- sweep: the periodic housekeeping, for a scheduler (every minute; docs/dba.md "The sweeper"):
--     * * * * *  psql "$DATABASE_URL" -Atc 'SELECT api.sweep()'
-- Closes unpaid orders past their payment window (expire_unpaid_orders: reservation released,
-- coupon given back), then marks the remaining expired reservations released
-- (release_expired_reservations), then deletes Idempotency-Key answers older than
-- idempotency_key_ttl() and at most 10,000 refresh tokens past their expiry (a token past it is
-- refused anyway), oldest first. Skips rows other transactions hold; safe to run concurrently.
-- Returns {"orders_expired", "reservations_released", "idempotency_keys_deleted",
-- "refresh_tokens_deleted"}.
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
    v_keys integer;
    v_tokens integer;
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
    RETURN jsonb_build_object(
        'orders_expired', v_orders,
        'reservations_released', v_reservations,
        'idempotency_keys_deleted', v_keys,
        'refresh_tokens_deleted', v_tokens
    );
END
$$;
