-- idempotent_replay and remember_response: no key, no replay; a stored answer comes back for
-- the same request within 24 h, per user and endpoint; another request under the key raises
-- JK422 idempotency_key_reused; an answer older than 24 h is forgotten and replaced; while a
-- transaction holds the key, another session gets JK409 idempotency_key_in_use.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('other', tests.make_user());
END
$$;

SELECT is(
    internal.idempotent_replay(tests.id('user'), 'create_order', NULL, '{"a": 1}'), NULL,
    'no key: nothing to replay'
);
SELECT is(
    internal.remember_response(tests.id('user'), 'create_order', NULL, '{"a": 1}', '{"id": 1}'),
    '{"id": 1}'::jsonb, 'no key: the answer passes through'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.idempotency_keys
        WHERE user_id = tests.id('user')
    ), 0,
    'and nothing is stored'
);

SELECT is(
    internal.idempotent_replay(tests.id('user'), 'create_order', 'k1', '{"a": 1}'), NULL,
    'a new key: nothing to replay yet'
);
SELECT internal.remember_response(tests.id('user'), 'create_order', 'k1', '{"a": 1}', '{"id": 7}');
SELECT is(
    internal.idempotent_replay(tests.id('user'), 'create_order', 'k1', '{"a": 1}'), '{"id": 7}'::jsonb,
    'the same key and request: the stored answer'
);
SELECT throws_ok(
    format($$SELECT internal.idempotent_replay(%s, 'create_order', 'k1', '{"a": 2}')$$, tests.id('user')),
    'JK422', 'idempotency_key_reused', 'the same key with another request'
);
SELECT is(
    internal.idempotent_replay(tests.id('other'), 'create_order', 'k1', '{"a": 1}'), NULL,
    'keys are per user'
);
SELECT is(
    internal.idempotent_replay(tests.id('user'), 'initiate_refund', 'k1', '{"a": 1}'), NULL,
    'and per endpoint'
);

UPDATE store.idempotency_keys SET created_at = now() - interval '25 hours'
WHERE user_id = tests.id('user');
SELECT is(
    internal.idempotent_replay(tests.id('user'), 'create_order', 'k1', '{"a": 2}'), NULL,
    'after 24 h the key is free again, for any request'
);

-- This transaction holds the advisory lock of (user, create_order, k1) now; another session
-- asking for it must be refused at once.
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT is(
    (
        SELECT e.message FROM dblink(
            'dbname=' || current_database(),
            format(
                $$SELECT tests.error_of(%L) ->> 'message'$$,
                format(
                    $$SELECT internal.idempotent_replay(%s, 'create_order', 'k1', '{}')$$,
                    tests.id('user')
                )
            )
        ) AS e (message text)
    ),
    'idempotency_key_in_use',
    'while a request holds the key, another gets JK409 idempotency_key_in_use'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
