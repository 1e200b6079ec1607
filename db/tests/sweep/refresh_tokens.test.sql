-- sweep: deletes the refresh tokens past their expiry, spent or not, and keeps the others: a
-- login, a refresh (the first token spent), then the spent one and a third moved past expiry.
BEGIN;

SELECT plan(3);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_json(
        'login', tests.verify(tests.value('phone'), tests.send_code(tests.value('phone')))
    );
    PERFORM tests.set_id('user', (tests.json('login') #>> '{user,id}')::bigint);
    PERFORM tests.set_json(
        'refresh',
        api.refresh_session(tests.json('login') ->> 'refresh_token', tests.refresh_key(), NULL)
    );
    -- The spent first token and the live second one: only the first is moved past expiry.
    UPDATE store.refresh_tokens
    SET issued_at = now() - interval '31 days', expires_at = now() - interval '1 day'
    WHERE user_id = tests.id('user') AND used_at IS NOT NULL;
    PERFORM tests.set_json('swept', api.sweep());
END
$$;

SELECT cmp_ok(
    (tests.json('swept') ->> 'refresh_tokens_deleted')::integer, '>=', 1,
    'the sweep says how many expired tokens it deleted'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.refresh_tokens
        WHERE user_id = tests.id('user')
    ),
    1, 'the expired token is gone, the live one kept'
);
SELECT is(
    (
        api.refresh_session(tests.json('refresh') ->> 'refresh_token', tests.refresh_key(), NULL)
        ->> 'session_id'
    )::bigint,
    (tests.json('login') ->> 'session_id')::bigint,
    'the live token still refreshes its session'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
