-- hold_relay_lock: makes this session the one outbox relay, a session advisory lock (727, 1)
-- kept until the session ends; calling it again while holding it only confirms it (the lock is
-- not taken twice, so one unlock releases it). Another session cannot take it meanwhile, and
-- takes it once it is released: checked through dblink, when the extension can be installed
-- and can reach this server; skipped otherwise. The lock outlives transactions, so the test
-- releases what it took.
BEGIN;

SELECT plan(9);

-- A second session, through dblink, when available: NULL when it cannot be had.
CREATE FUNCTION pg_temp.second_session()
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_schema text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_available_extensions WHERE name = 'dblink') THEN
        RETURN NULL;
    END IF;
    BEGIN
        CREATE EXTENSION IF NOT EXISTS dblink;
        SELECT e.extnamespace::regnamespace::text INTO v_schema
        FROM pg_catalog.pg_extension AS e
        WHERE e.extname = 'dblink';
        EXECUTE format('SELECT %I.dblink_connect(%L, %L)', v_schema, 'relay_probe', format(
            'dbname=%s user=%s port=%s%s', current_database(), session_user, current_setting('port'),
            coalesce(' host=' || host(inet_server_addr()), '')
        ));
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'hold_relay_lock: no second session (%)', sqlerrm;
        RETURN NULL;
    END;
    RETURN v_schema;
END
$$;

-- What api.hold_relay_lock() answers in the second session.
CREATE FUNCTION pg_temp.held_by_second_session(p_schema text)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    v_answer jsonb;
BEGIN
    EXECUTE format(
        'SELECT t.answer FROM %I.dblink(%L, %L) AS t (answer jsonb)',
        p_schema, 'relay_probe', 'SELECT api.hold_relay_lock()'
    ) INTO v_answer;
    RETURN v_answer;
END
$$;

-- This session's rows of the relay lock in pg_locks.
CREATE FUNCTION pg_temp.relay_locks()
RETURNS integer
LANGUAGE sql
AS $$
    SELECT count(*)::integer FROM pg_catalog.pg_locks AS l
    WHERE
        l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted
        AND l.classid = 727 AND l.objid = 1 AND l.objsubid = 2
$$;

SELECT is(pg_temp.relay_locks(), 0, 'setup: this session does not hold the relay lock');
SELECT is(api.hold_relay_lock(), '{"held": true}'::jsonb, 'the first call takes the lock');
SELECT is(
    (
        SELECT l.mode FROM pg_catalog.pg_locks AS l
        WHERE
            l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted
            AND l.classid = 727 AND l.objid = 1 AND l.objsubid = 2
    ),
    'ExclusiveLock', 'an exclusive advisory lock (727, 1), held by this session'
);
SELECT is(api.hold_relay_lock(), '{"held": true}'::jsonb, 'calling again confirms it');
SELECT is(
    (pg_advisory_unlock(727, 1), pg_temp.relay_locks())::text, '(t,0)',
    'without taking it twice: one unlock releases it'
);

SELECT set_config('relay.probe', coalesce(pg_temp.second_session(), ''), TRUE);

SELECT CASE
    WHEN current_setting('relay.probe') = '' THEN skip('no second session through dblink', 4)
    ELSE collect_tap(
        is(api.hold_relay_lock(), '{"held": true}'::jsonb, 'this session takes the lock'),
        is(
            pg_temp.held_by_second_session(current_setting('relay.probe')), '{"held": false}'::jsonb,
            'another session cannot while it holds it'
        ),
        is(
            (
                pg_advisory_unlock(727, 1), pg_temp.held_by_second_session(current_setting('relay.probe'))
            )::text,
            '(t,"{""held"": true}")', 'once it is released, the other session takes it'
        ),
        is(
            api.hold_relay_lock(), '{"held": false}'::jsonb,
            'and keeps it past its statement (a session lock): this one cannot take it back'
        )
    )
END;

-- The second session ends, and the lock with it.
DO $$
BEGIN
    IF current_setting('relay.probe') <> '' THEN
        EXECUTE format('SELECT %I.dblink_disconnect(%L)', current_setting('relay.probe'), 'relay_probe');
    END IF;
END
$$;

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
