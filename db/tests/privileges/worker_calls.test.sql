-- The worker's functions, called as each role (execute.test.sql reads the same grants from the
-- catalog): jiokidz_worker calls every one of them, jiokidz_api none (42501
-- insufficient_privilege), and the worker is refused the web tier's endpoints and the helpers.
-- Analysts (jiokidz_readonly) cannot read the outbox, whose otp.requested events carry a code
-- until published, but read the processed-message records and the refunds' queued_at.
-- Each call runs in a subtransaction that is undone (pg_temp.error_as), so the calls change
-- nothing; the relay lock, a session lock, is released at the end.
BEGIN;

SELECT plan(6);

-- Runs p_sql as p_role and answers the SQLSTATE it raised, NULL when it raised nothing. The
-- role and whatever p_sql wrote are undone (a raise rolls the subtransaction back).
CREATE FUNCTION pg_temp.error_as(p_role text, p_sql text)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_state text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', p_role);
        EXECUTE p_sql;
        RAISE EXCEPTION USING ERRCODE = 'TE002', MESSAGE = 'undo';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE;
    END;
    RETURN nullif(v_state, 'TE002');
END
$$;

DO $$
DECLARE
    v_user bigint;
BEGIN
    PERFORM tests.make_paid_order();
    v_user := tests.id('user');
    PERFORM tests.set_id('refund', (api.initiate_refund(v_user, tests.id('order'), 'Worker', 1000) ->> 'id')::bigint);
    PERFORM tests.set_id('event', tests.make_event());
END
$$;

-- Every worker call (api_spec.yaml's worker_calls) with arguments it accepts.
CREATE TEMPORARY TABLE calls ON COMMIT DROP AS
SELECT c.call
FROM (
    VALUES
    ('SELECT api.sweep()'),
    ('SELECT api.hold_relay_lock()'),
    ('SELECT api.next_outbox_events(10)'),
    (format('SELECT api.mark_outbox_published(ARRAY[%s]::bigint[])', tests.id('event'))),
    ('SELECT api.outbox_backlog()'),
    (format($$SELECT api.message_processed('refunds', %s)$$, tests.id('event'))),
    (format($$SELECT api.record_processed('refunds', %s)$$, tests.id('event'))),
    (format('SELECT api.refund_to_send(%s, %s)', tests.id('user'), tests.id('refund'))),
    (
        format(
            $$SELECT api.attach_gateway_refund(%s, %s, 'rfnd_Worker00000001')$$,
            tests.id('user'),
            tests.id('refund')
        )
    ),
    (format('SELECT api.fail_gateway_refund(%s, %s)', tests.id('user'), tests.id('refund')))
) AS c (call);

SELECT is(
    (
        SELECT array_agg(c.call || ': ' || e.state) FROM pg_temp.calls AS c
        CROSS JOIN LATERAL (SELECT pg_temp.error_as('jiokidz_worker', c.call) AS state) AS e
        WHERE e.state IS NOT NULL
    ),
    NULL::text[], 'jiokidz_worker calls every worker function'
);
SELECT is(
    (
        SELECT array_agg(c.call || ': ' || coalesce(e.state, 'allowed')) FROM pg_temp.calls AS c
        CROSS JOIN LATERAL (SELECT pg_temp.error_as('jiokidz_api', c.call) AS state) AS e
        WHERE e.state IS DISTINCT FROM '42501'
    ),
    NULL::text[], 'jiokidz_api is refused every one (42501)'
);
SELECT is(
    ARRAY[
        pg_temp.error_as(
            'jiokidz_worker', format('SELECT api.get_order(%s, %s)', tests.id('user'), tests.id('order'))
        ),
        pg_temp.error_as(
            'jiokidz_worker', format($$SELECT internal.emit_event('test.event', 0, NULL, '{}')$$)
        ),
        pg_temp.error_as('jiokidz_worker', 'SELECT count(*) FROM store.outbox_events')
    ],
    ARRAY['42501', '42501', '42501'],
    'jiokidz_worker is refused an endpoint, a helper and the outbox table itself'
);
SELECT is(
    pg_temp.error_as('jiokidz_readonly', 'SELECT count(*) FROM store.outbox_events'), '42501',
    'jiokidz_readonly cannot read the outbox'
);
SELECT is(
    ARRAY[
        pg_temp.error_as('jiokidz_readonly', 'SELECT count(*) FROM store.processed_messages'),
        pg_temp.error_as('jiokidz_readonly', 'SELECT max(queued_at) FROM store.refunds')
    ],
    ARRAY[NULL, NULL]::text[], 'but reads the processed-message records and the refunds'' queued_at'
);
SELECT is(
    (pg_advisory_unlock(727, 1), current_user = session_user)::text, '(t,t)',
    'the worker''s hold_relay_lock took the relay lock for this session (released now); the role is back'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
