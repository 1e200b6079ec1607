-- verify_otp and sessions: a login starts a live session (with the client's address) and hands
-- out its first refresh token, '<user id>.<43 base64url chars>', stored only as its keyed hash
-- and good for 30 days. Each login is a session of its own. A deactivated account gets JK403
-- account_disabled and no session; a missing or short refresh-token key is a plain error.
BEGIN;

SELECT plan(15);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_json(
        'login',
        api.verify_otp(
            tests.value('phone'), tests.send_code(tests.value('phone')), tests.otp_key(),
            tests.refresh_key(), '203.0.113.7'
        )
    );
    PERFORM tests.set_id('user', (tests.json('login') #>> '{user,id}')::bigint);
    PERFORM tests.set_id('session', (tests.json('login') ->> 'session_id')::bigint);
    PERFORM tests.set_value('token', tests.json('login') ->> 'refresh_token');
END
$$;

SELECT is(
    (
        SELECT count(*)::integer FROM store.sessions AS s
        WHERE s.user_id = tests.id('user') AND s.id = tests.id('session') AND s.ended_at IS NULL
    ),
    1,
    'the login starts a live session of the user, named by session_id'
);
SELECT is(
    (
        SELECT s.created_ip FROM store.sessions AS s
        WHERE s.user_id = tests.id('user') AND s.id = tests.id('session')
    ),
    '203.0.113.7'::inet,
    'the session records the client address of the login'
);
SELECT matches(
    tests.value('token'), '^' || tests.id('user') || '\.[A-Za-z0-9_-]{43}$',
    'the refresh token is <user id>.<43 base64url characters>'
);
SELECT is(
    tests.json('login') -> 'refresh_expires_in', '2592000'::jsonb,
    'refresh_expires_in is 30 days in seconds'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.refresh_tokens AS r
        WHERE r.user_id = tests.id('user')
    ),
    1,
    'exactly one refresh token is stored for the user'
);
SELECT is(
    (
        SELECT r.token_hash FROM store.refresh_tokens AS r
        WHERE r.user_id = tests.id('user') AND r.session_id = tests.id('session')
    ),
    hmac(convert_to(tests.value('token'), 'UTF8'), tests.refresh_key(), 'sha256'),
    'the stored row of the session holds HMAC-SHA256 of the token under the refresh key'
);
SELECT ok(
    (
        SELECT
            r.expires_at BETWEEN now() + interval '30 days' - interval '1 minute'
            AND now() + interval '30 days' + interval '1 minute'
            AND r.used_at IS NULL
        FROM store.refresh_tokens AS r
        WHERE r.user_id = tests.id('user')
    ),
    'the token expires 30 days from now and is not spent'
);
SELECT is(
    (
        SELECT count(*)::integer
        FROM (
            SELECT to_jsonb(r)::text AS row_text FROM store.refresh_tokens AS r
            WHERE r.user_id = tests.id('user')
            UNION ALL
            SELECT to_jsonb(s)::text FROM store.sessions AS s
            WHERE s.user_id = tests.id('user')
            UNION ALL
            SELECT to_jsonb(u)::text FROM store.users AS u
            WHERE u.id = tests.id('user')
        ) AS stored
        WHERE
            strpos(stored.row_text, split_part(tests.value('token'), '.', 2)) > 0
            OR strpos(
                stored.row_text,
                encode(convert_to(split_part(tests.value('token'), '.', 2), 'UTF8'), 'hex')
            ) > 0
    ),
    0,
    'no stored column holds the token, as text or as bytes'
);

-- A second login of the same user is a second session.
DO $$
BEGIN
    PERFORM tests.age_codes(tests.value('phone'), interval '1 day');
    PERFORM tests.set_json(
        'again', tests.verify(tests.value('phone'), tests.send_code(tests.value('phone')))
    );
END
$$;

SELECT ok(
    (
        SELECT count(*) = 2 AND count(DISTINCT s.id) = 2 AND bool_and(s.ended_at IS NULL)
        FROM store.sessions AS s
        WHERE s.user_id = tests.id('user')
    )
    AND (tests.json('again') ->> 'session_id')::bigint <> tests.id('session'),
    'two logins: two live sessions with different ids'
);

-- A deactivated account.
DO $$
BEGIN
    PERFORM tests.set_value('off_phone', tests.new_phone());
    PERFORM tests.set_id('off', tests.make_user(tests.value('off_phone')));
    UPDATE store.users SET is_active = FALSE WHERE id = tests.id('off');
    PERFORM tests.set_value('off_code', tests.send_code(tests.value('off_phone')));
END
$$;

SELECT throws_ok(
    format($$SELECT tests.verify(%L, %L)$$, tests.value('off_phone'), tests.value('off_code')),
    'JK403', 'account_disabled',
    'the right code for a deactivated account raises account_disabled'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.sessions AS s
        WHERE s.user_id = tests.id('off')
    ),
    0,
    'a deactivated account gets no session'
);

-- The refresh-token key: NULL or under 16 bytes is a server fault (a plain error, not JK*).
DO $$
DECLARE
    v_phone text;
BEGIN
    FOREACH v_phone IN ARRAY ARRAY['null_key', 'short_key', 'key_16'] LOOP
        PERFORM tests.set_value(v_phone || '_phone', tests.new_phone());
        PERFORM tests.set_value(
            v_phone || '_code', tests.send_code(tests.value(v_phone || '_phone'))
        );
    END LOOP;
END
$$;

SELECT is(
    tests.pick(
        tests.error_of(format(
            $$SELECT api.verify_otp(%L, %L, tests.otp_key(), NULL)$$,
            tests.value('null_key_phone'), tests.value('null_key_code')
        )),
        ARRAY['sqlstate', 'message']
    ),
    jsonb_build_object(
        'sqlstate', 'P0001',
        'message', 'refresh_token_hash: the refresh-token key must be at least 16 bytes'
    ),
    'a NULL refresh key raises a plain error'
);
SELECT is(
    tests.pick(
        tests.error_of(format(
            $$SELECT api.verify_otp(%L, %L, tests.otp_key(), substring(tests.refresh_key() FROM 1 FOR 15))$$,
            tests.value('short_key_phone'), tests.value('short_key_code')
        )),
        ARRAY['sqlstate', 'message']
    ),
    jsonb_build_object(
        'sqlstate', 'P0001',
        'message', 'refresh_token_hash: the refresh-token key must be at least 16 bytes'
    ),
    'a 15-byte refresh key raises a plain error'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.users AS u
        INNER JOIN store.sessions AS s ON u.id = s.user_id
        WHERE u.phone IN (tests.value('null_key_phone'), tests.value('short_key_phone'))
    ),
    0,
    'a refused refresh key leaves no session behind'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.verify_otp(%L, %L, tests.otp_key(), substring(tests.refresh_key() FROM 1 FOR 16))$$,
        tests.value('key_16_phone'), tests.value('key_16_code')
    )),
    NULL,
    'a 16-byte refresh key is enough'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
