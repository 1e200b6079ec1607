-- refresh_session: a refresh spends the token and issues the next one of the same session: the
-- answer has the shape of a login (is_new_user false, the same user and session_id) with a new
-- token; the old row is marked used, a new row is stored, and the session records the refresh.
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
    PERFORM tests.set_value('old', tests.json('login') ->> 'refresh_token');
    PERFORM tests.set_json(
        'refresh',
        api.refresh_session(tests.value('old'), tests.refresh_key(), '198.51.100.23')
    );
    PERFORM tests.set_value('new', tests.json('refresh') ->> 'refresh_token');
END
$$;

SELECT is(
    tests.pick(tests.json('refresh'), ARRAY['is_new_user', 'user', 'session_id']),
    jsonb_build_object(
        'is_new_user', FALSE, 'user', tests.json('login') -> 'user',
        'session_id', tests.id('session')
    ),
    'a refresh answers is_new_user false, the same user and the same session_id'
);
SELECT isnt(tests.value('new'), tests.value('old'), 'a refresh hands out a different token');
SELECT matches(
    tests.value('new'), '^' || tests.id('user') || '\.[A-Za-z0-9_-]{43}$',
    'the new token has the shape <user id>.<43 base64url characters>'
);
SELECT is(
    tests.json('refresh') -> 'refresh_expires_in', '2592000'::jsonb,
    'the new token is good for 30 days'
);
SELECT is(
    (
        SELECT r.used_at FROM store.refresh_tokens AS r
        WHERE
            r.user_id = tests.id('user')
            AND r.token_hash = hmac(convert_to(tests.value('old'), 'UTF8'), tests.refresh_key(), 'sha256')
    ),
    now(),
    'the old token is marked used'
);
SELECT is(
    (
        SELECT jsonb_build_object('session_id', r.session_id, 'used', r.used_at IS NOT NULL)
        FROM store.refresh_tokens AS r
        WHERE
            r.user_id = tests.id('user')
            AND r.token_hash = hmac(convert_to(tests.value('new'), 'UTF8'), tests.refresh_key(), 'sha256')
    ),
    jsonb_build_object('session_id', tests.id('session'), 'used', FALSE),
    'the new token is stored, unspent, for the same session'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.refresh_tokens AS r
        WHERE r.user_id = tests.id('user')
    ),
    2,
    'the spent token stays, so that a replay is recognised: two rows'
);
SELECT is(
    (
        SELECT
            jsonb_build_object(
                'refreshed_at', s.refreshed_at, 'refreshed_ip', s.refreshed_ip, 'ended_at', s.ended_at
            )
        FROM store.sessions AS s
        WHERE s.user_id = tests.id('user') AND s.id = tests.id('session')
    ),
    jsonb_build_object(
        'refreshed_at', now(), 'refreshed_ip', '198.51.100.23'::inet, 'ended_at', NULL
    ),
    'the session records when and from where it was refreshed, and stays live'
);
SELECT is(
    tests.pick(
        api.refresh_session(tests.value('new'), tests.refresh_key()),
        ARRAY['session_id', 'error']
    ),
    jsonb_build_object('session_id', tests.id('session')),
    'the new token refreshes the same session in turn'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
