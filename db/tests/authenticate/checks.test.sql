-- authenticate: the user id of an access token once its session is checked. A live session of
-- an active user gives its user; no token (both NULL) gives NULL; a session that is unknown,
-- another user's, or ended raises JK401 unauthorized, as does a closed account; a deactivated
-- account raises JK403 account_disabled.
BEGIN;

SELECT plan(9);

-- A user (closed when p_deleted_at is set) with one live session, remembered under p_name.
CREATE FUNCTION pg_temp.user_with_session(p_name text, p_deleted_at timestamptz DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_user_id bigint := tests.set_id(p_name || '_user', tests.make_user(p_deleted_at => p_deleted_at));
    v_session_id bigint;
BEGIN
    INSERT INTO store.sessions (user_id) VALUES (v_user_id) RETURNING id INTO v_session_id;
    PERFORM tests.set_id(p_name || '_session', v_session_id);
END
$$;

DO $$
BEGIN
    PERFORM pg_temp.user_with_session('live');
    PERFORM pg_temp.user_with_session('other');
    PERFORM pg_temp.user_with_session('ended');
    PERFORM pg_temp.user_with_session('off');
    PERFORM pg_temp.user_with_session('closed', now() - interval '1 minute');
    PERFORM api.logout(tests.id('ended_user'), tests.id('ended_session'));
    UPDATE store.users SET is_active = FALSE WHERE id = tests.id('off_user');
END
$$;

SELECT is(
    api.authenticate(tests.id('live_user'), tests.id('live_session')), tests.id('live_user'),
    'a live session of an active user: its user id'
);
SELECT is(api.authenticate(NULL, NULL), NULL, 'no token (both NULL): NULL');
SELECT throws_ok(
    format($$SELECT api.authenticate(%s, %s)$$, tests.id('live_user'), tests.id('other_session')),
    'JK401', 'unauthorized',
    'another user''s session id is unauthorized'
);
SELECT throws_ok(
    format(
        $$SELECT api.authenticate(%s, %s)$$,
        tests.id('live_user'), (SELECT max(s.id) + 1 FROM store.sessions AS s)
    ),
    'JK401', 'unauthorized',
    'an unknown session id is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.authenticate(%s, NULL)$$, tests.id('live_user')),
    'JK401', 'unauthorized',
    'a user id without a session id is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.authenticate(NULL, %s)$$, tests.id('live_session')),
    'JK401', 'unauthorized',
    'a session id without a user id is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.authenticate(%s, %s)$$, tests.id('ended_user'), tests.id('ended_session')),
    'JK401', 'unauthorized',
    'an ended session is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.authenticate(%s, %s)$$, tests.id('off_user'), tests.id('off_session')),
    'JK403', 'account_disabled',
    'a live session of a deactivated account raises account_disabled'
);
SELECT throws_ok(
    format($$SELECT api.authenticate(%s, %s)$$, tests.id('closed_user'), tests.id('closed_session')),
    'JK401', 'unauthorized',
    'a live session of a closed account is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
