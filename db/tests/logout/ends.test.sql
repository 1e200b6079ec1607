-- logout and logout_all. logout ends the one session named (end_reason 'logout'), no other
-- session of the user and nobody else's, and leaves an ended session as it was. logout_all
-- ends every live session of the user (end_reason 'logout_all') and says how many, leaves
-- other users' sessions alone, and does not rewrite sessions that had already ended.
BEGIN;

SELECT plan(12);

-- A new session of a user, remembered under p_name.
CREATE FUNCTION pg_temp.new_session(p_name text, p_user_id bigint)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO store.sessions (user_id) VALUES (p_user_id) RETURNING id INTO v_id;
    RETURN tests.set_id(p_name, v_id);
END
$$;

-- The end of a session: {"ended_at", "end_reason"}.
CREATE FUNCTION pg_temp.end_of(p_user_id bigint, p_session_id bigint)
RETURNS jsonb
LANGUAGE sql
VOLATILE
AS $$
    SELECT jsonb_build_object('ended_at', s.ended_at, 'end_reason', s.end_reason)
    FROM store.sessions AS s
    WHERE s.user_id = p_user_id AND s.id = p_session_id
$$;

DO $$
BEGIN
    PERFORM tests.set_id('asha', tests.make_user());
    PERFORM tests.set_id('ravi', tests.make_user());
    PERFORM pg_temp.new_session('phone', tests.id('asha'));
    PERFORM pg_temp.new_session('laptop', tests.id('asha'));
    PERFORM pg_temp.new_session('tablet', tests.id('asha'));
    PERFORM pg_temp.new_session('ravi_phone', tests.id('ravi'));
    PERFORM tests.set_json('logout', api.logout(tests.id('asha'), tests.id('phone')));
    -- Asha names Ravi's session: nothing of Ravi's may end.
    PERFORM api.logout(tests.id('asha'), tests.id('ravi_phone'));
END
$$;

SELECT is(tests.json('logout'), '{}'::jsonb, 'logout answers {}');
SELECT is(
    pg_temp.end_of(tests.id('asha'), tests.id('phone')),
    jsonb_build_object('ended_at', now(), 'end_reason', 'logout'),
    'logout ends the session named, with end_reason logout'
);
SELECT is(
    jsonb_build_array(
        pg_temp.end_of(tests.id('asha'), tests.id('laptop')),
        pg_temp.end_of(tests.id('asha'), tests.id('tablet'))
    ),
    jsonb_build_array(
        jsonb_build_object('ended_at', NULL, 'end_reason', NULL),
        jsonb_build_object('ended_at', NULL, 'end_reason', NULL)
    ),
    'the user''s other sessions stay live'
);
SELECT is(
    pg_temp.end_of(tests.id('ravi'), tests.id('ravi_phone')),
    jsonb_build_object('ended_at', NULL, 'end_reason', NULL),
    'a user cannot end another user''s session by naming it'
);

-- A second logout of the ended session (moved an hour back, to see any rewrite).
DO $$
BEGIN
    UPDATE store.sessions SET ended_at = now() - interval '1 hour'
    WHERE user_id = tests.id('asha') AND id = tests.id('phone');
    PERFORM api.logout(tests.id('asha'), tests.id('phone'));
END
$$;

SELECT is(
    pg_temp.end_of(tests.id('asha'), tests.id('phone')),
    jsonb_build_object('ended_at', now() - interval '1 hour', 'end_reason', 'logout'),
    'logout of an ended session changes nothing'
);

-- logout_all, with one session already ended by a replayed token two hours ago.
DO $$
BEGIN
    UPDATE store.sessions
    SET ended_at = now() - interval '2 hours', end_reason = 'refresh_token_reused'
    WHERE user_id = tests.id('asha') AND id = tests.id('tablet');
    PERFORM pg_temp.new_session('watch', tests.id('asha'));
    PERFORM tests.set_json('all', api.logout_all(tests.id('asha')));
END
$$;

SELECT is(
    tests.json('all'), '{"sessions_ended": 2}'::jsonb,
    'logout_all counts the live sessions it ended (two of four)'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.sessions AS s
        WHERE s.user_id = tests.id('asha') AND s.ended_at IS NULL
    ),
    0,
    'no session of the user is left live'
);
SELECT is(
    pg_temp.end_of(tests.id('asha'), tests.id('laptop')),
    jsonb_build_object('ended_at', now(), 'end_reason', 'logout_all'),
    'a live session ends with end_reason logout_all'
);
SELECT is(
    pg_temp.end_of(tests.id('asha'), tests.id('watch')),
    jsonb_build_object('ended_at', now(), 'end_reason', 'logout_all'),
    'every live session ends, the newest too'
);
SELECT is(
    pg_temp.end_of(tests.id('asha'), tests.id('phone'))
    || jsonb_build_object('tablet', pg_temp.end_of(tests.id('asha'), tests.id('tablet'))),
    jsonb_build_object(
        'ended_at', now() - interval '1 hour', 'end_reason', 'logout',
        'tablet', jsonb_build_object(
            'ended_at', now() - interval '2 hours', 'end_reason', 'refresh_token_reused'
        )
    ),
    'sessions that had already ended keep their end time and reason'
);
SELECT is(
    pg_temp.end_of(tests.id('ravi'), tests.id('ravi_phone')),
    jsonb_build_object('ended_at', NULL, 'end_reason', NULL),
    'another user''s session stays live'
);
SELECT is(
    api.logout_all(tests.id('asha')), '{"sessions_ended": 0}'::jsonb,
    'logout_all with no live session left ends none'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
