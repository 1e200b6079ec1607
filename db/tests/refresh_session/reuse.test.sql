-- refresh_session and a replayed token: presenting a spent token returns (does not raise) the
-- 401 refresh_token_reused problem and ends its session, so that the end is kept; from then on
-- the session's newest token and its access token are refused. Other sessions stay live.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_json(
        'login', tests.verify(tests.value('phone'), tests.send_code(tests.value('phone')))
    );
    PERFORM tests.set_id('user', (tests.json('login') #>> '{user,id}')::bigint);
    PERFORM tests.set_id('session', (tests.json('login') ->> 'session_id')::bigint);
    PERFORM tests.set_value('spent', tests.json('login') ->> 'refresh_token');
    PERFORM tests.set_value(
        'newest',
        api.refresh_session(tests.value('spent'), tests.refresh_key()) ->> 'refresh_token'
    );
    -- A second login of the same user: another session, which the replay must not touch.
    PERFORM tests.age_codes(tests.value('phone'), interval '1 day');
    PERFORM tests.set_id(
        'other_session',
        (
            tests.verify(tests.value('phone'), tests.send_code(tests.value('phone')))
            ->> 'session_id'
        )::bigint
    );
END
$$;

-- lives_ok runs the call in a subtransaction: had it raised, ending the session would be undone.
SELECT lives_ok(
    format(
        $$SELECT tests.set_json('reuse', api.refresh_session(%L, tests.refresh_key()))$$,
        tests.value('spent')
    ),
    'presenting a spent token returns rather than raises'
);
SELECT is(
    tests.pick(tests.json('reuse') -> 'error', ARRAY['code', 'status']),
    jsonb_build_object('code', 'refresh_token_reused', 'status', 401),
    'the answer is the 401 refresh_token_reused problem'
);
SELECT ok(
    NOT tests.json('reuse') ? 'refresh_token' AND NOT tests.json('reuse') ? 'user',
    'the answer carries no token and no user'
);
SELECT is(
    (
        SELECT jsonb_build_object('ended_at', s.ended_at, 'end_reason', s.end_reason)
        FROM store.sessions AS s
        WHERE s.user_id = tests.id('user') AND s.id = tests.id('session')
    ),
    jsonb_build_object('ended_at', now(), 'end_reason', 'refresh_token_reused'),
    'the session has ended with end_reason refresh_token_reused'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.refresh_tokens AS r
        WHERE r.user_id = tests.id('user') AND r.session_id = tests.id('session')
    ),
    2,
    'the replay issues no new token'
);
SELECT throws_ok(
    format($$SELECT api.refresh_session(%L, tests.refresh_key())$$, tests.value('newest')),
    'JK401', 'invalid_refresh_token',
    'the newest token of the ended session is refused'
);
SELECT throws_ok(
    format($$SELECT api.authenticate(%s, %s)$$, tests.id('user'), tests.id('session')),
    'JK401', 'unauthorized',
    'the access token of the ended session is refused'
);
SELECT is(
    api.authenticate(tests.id('user'), tests.id('other_session')), tests.id('user'),
    'another session of the same user stays live'
);

-- Replayed again, once the session was already ended by a logout: the reason is not rewritten.
DO $$
BEGIN
    UPDATE store.sessions
    SET ended_at = now() - interval '1 hour', end_reason = 'logout'
    WHERE user_id = tests.id('user') AND id = tests.id('session');
    PERFORM tests.set_json(
        'replay', api.refresh_session(tests.value('spent'), tests.refresh_key())
    );
END
$$;

SELECT is(
    (
        SELECT
            jsonb_build_object(
                'code', tests.error_code(tests.json('replay')), 'ended_at', s.ended_at,
                'end_reason', s.end_reason
            )
        FROM store.sessions AS s
        WHERE s.user_id = tests.id('user') AND s.id = tests.id('session')
    ),
    jsonb_build_object(
        'code', 'refresh_token_reused', 'ended_at', now() - interval '1 hour', 'end_reason', 'logout'
    ),
    'a replay on an already ended session answers reused and leaves its end as it was'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
