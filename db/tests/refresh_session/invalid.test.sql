-- refresh_session refuses what is not a live token with JK401 invalid_refresh_token: no token,
-- a malformed one, an unknown one, one checked under another key, an expired one, one of an
-- ended session. A deactivated account raises JK403 account_disabled, a closed one JK401
-- unauthorized; a refused refresh does not spend the token.
BEGIN;

SELECT plan(14);

-- Logs a fresh phone in and remembers its user, session and refresh token under p_name.
CREATE FUNCTION pg_temp.login_as(p_name text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_phone text := tests.new_phone();
    v_login jsonb := tests.verify(v_phone, tests.send_code(v_phone));
BEGIN
    PERFORM tests.set_id(p_name || '_user', (v_login #>> '{user,id}')::bigint);
    PERFORM tests.set_id(p_name || '_session', (v_login ->> 'session_id')::bigint);
    PERFORM tests.set_value(p_name || '_token', v_login ->> 'refresh_token');
END
$$;

-- The SQL of a refresh with the test key.
CREATE FUNCTION pg_temp.refresh_sql(p_token text)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT format($q$SELECT api.refresh_session(%L, tests.refresh_key())$q$, p_token)
$$;

DO $$
BEGIN
    PERFORM pg_temp.login_as('live');
    PERFORM pg_temp.login_as('expired');
    PERFORM pg_temp.login_as('edge');
    PERFORM pg_temp.login_as('ended');
    PERFORM pg_temp.login_as('off');
    PERFORM pg_temp.login_as('closed');
    PERFORM tests.set_value('random', split_part(tests.value('live_token'), '.', 2));

    UPDATE store.refresh_tokens
    SET issued_at = now() - interval '31 days', expires_at = now() - interval '1 day'
    WHERE user_id = tests.id('expired_user');
    UPDATE store.refresh_tokens
    SET issued_at = now() - interval '30 days', expires_at = now()
    WHERE user_id = tests.id('edge_user');
    PERFORM api.logout(tests.id('ended_user'), tests.id('ended_session'));
    UPDATE store.users SET is_active = FALSE WHERE id = tests.id('off_user');
    UPDATE store.users SET deleted_at = now() WHERE id = tests.id('closed_user');
END
$$;

SELECT throws_ok(
    $$SELECT api.refresh_session(NULL, tests.refresh_key())$$,
    'JK401', 'invalid_refresh_token', 'no token (NULL) is refused'
);
SELECT throws_ok(
    pg_temp.refresh_sql(''), 'JK401', 'invalid_refresh_token', 'an empty token is refused'
);
SELECT throws_ok(
    pg_temp.refresh_sql('abc'), 'JK401', 'invalid_refresh_token', 'a token without a dot is refused'
);
SELECT throws_ok(
    pg_temp.refresh_sql('0.' || tests.value('random')), 'JK401', 'invalid_refresh_token',
    'a token naming user 0 is refused'
);
SELECT throws_ok(
    pg_temp.refresh_sql('1234567890123456789.' || tests.value('random')),
    'JK401', 'invalid_refresh_token',
    'a token whose user id has 19 digits is refused (not a cast error)'
);
SELECT throws_ok(
    pg_temp.refresh_sql(tests.id('expired_user') || '.' || tests.value('random')),
    'JK401', 'invalid_refresh_token',
    'a right-shaped token unknown for its user (another user''s random part) is refused'
);
SELECT throws_ok(
    format(
        $$SELECT api.refresh_session(%L, sha256(convert_to('another key', 'UTF8')))$$,
        tests.value('live_token')
    ),
    'JK401', 'invalid_refresh_token',
    'a live token checked under another key is refused'
);
SELECT throws_ok(
    pg_temp.refresh_sql(tests.value('expired_token')), 'JK401', 'invalid_refresh_token',
    'an expired token is refused'
);
SELECT throws_ok(
    pg_temp.refresh_sql(tests.value('edge_token')), 'JK401', 'invalid_refresh_token',
    'a token is refused from the very moment it expires'
);
SELECT throws_ok(
    pg_temp.refresh_sql(tests.value('ended_token')), 'JK401', 'invalid_refresh_token',
    'a token of a session ended by logout is refused'
);
SELECT throws_ok(
    pg_temp.refresh_sql(tests.value('off_token')), 'JK403', 'account_disabled',
    'a token of a deactivated account raises account_disabled'
);
SELECT throws_ok(
    pg_temp.refresh_sql(tests.value('closed_token')), 'JK401', 'unauthorized',
    'a token of a closed account raises unauthorized'
);
-- Refusals must not have spent the tokens: reactivated, the account refreshes with its token;
-- and the live token still works under the right key.
UPDATE store.users SET is_active = TRUE
WHERE id = tests.id('off_user');

SELECT is(
    tests.error_of(pg_temp.refresh_sql(tests.value('off_token'))), NULL,
    'once reactivated, the account refreshes with the token it had'
);
SELECT is(
    tests.error_of(pg_temp.refresh_sql(tests.value('live_token'))), NULL,
    'the token refused under another key still refreshes under the right one'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
