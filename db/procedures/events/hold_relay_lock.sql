-- hold_relay_lock: makes this session the store's one outbox relay, or says another session is:
-- a session-level advisory lock (key 727, 1: the two-integer form, which no bigint key taken
-- elsewhere can collide with), kept until the session ends. Calling it again while holding the
-- lock only confirms it, so the relay calls it before every batch and stops publishing as soon
-- as its connection, and with it the lock, has been lost.
-- Worker (app/relay.py). Locks: that advisory lock.
-- Returns {"held": true when this session is the relay}.
CREATE FUNCTION api.hold_relay_lock()
RETURNS jsonb
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
    SELECT jsonb_build_object('held', EXISTS (
        SELECT FROM pg_locks AS l
        WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted
            AND l.classid = 727 AND l.objid = 1 AND l.objsubid = 2
    ) OR pg_try_advisory_lock(727, 1))
$$;
