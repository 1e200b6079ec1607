-- sweep: the periodic housekeeping, for a scheduler (every minute; docs/dba.md "The sweeper"):
--     * * * * *  psql "$DATABASE_URL" -Atc 'SELECT api.sweep()'
-- Closes unpaid orders past their payment window (expire_unpaid_orders: reservation released,
-- coupon given back), then marks the remaining expired reservations released
-- (release_expired_reservations), then deletes Idempotency-Key answers older than
-- idempotency_key_ttl(). Skips rows other transactions hold; safe to run concurrently.
-- Returns {"orders_expired", "reservations_released", "idempotency_keys_deleted"}.
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
BEGIN
    DELETE FROM store.idempotency_keys WHERE created_at <= now() - internal.idempotency_key_ttl();
    GET DIAGNOSTICS v_keys = ROW_COUNT;
    RETURN jsonb_build_object(
        'orders_expired', v_orders,
        'reservations_released', v_reservations,
        'idempotency_keys_deleted', v_keys
    );
END
$$;
