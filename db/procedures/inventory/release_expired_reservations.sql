-- release_expired_reservations: the sweeper. Marks active reservations whose expiry has passed
-- as released and returns how many. Availability ignores them already (available_stock looks at
-- expires_at), so nothing waits for this; it keeps the table honest and the index of active
-- reservations small. A scheduler runs it, e.g. every minute from cron:
--     psql "$DATABASE_URL" -c 'SELECT internal.release_expired_reservations()'
-- Locks: the expired reservations it releases. Rows another transaction holds right now (an
-- order being paid or cancelled) are skipped, never waited for; the next run picks them up.
CREATE FUNCTION internal.release_expired_reservations()
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    WITH released AS (
        UPDATE store.inventory_locks AS l
        SET status = 'released', released_at = now()
        WHERE (l.user_id, l.id) IN (
            SELECT e.user_id, e.id
            FROM store.inventory_locks AS e
            WHERE e.status = 'active' AND e.expires_at <= now()
            FOR UPDATE SKIP LOCKED
        )
        RETURNING 1
    )
    SELECT count(*)::integer FROM released
$$;
