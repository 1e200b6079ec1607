-- get_me: the profile of the logged-in user: id, phone, name, email, created_at.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_id('user', tests.make_user(tests.value('phone'), 'Asha Rao', 'asha@example.com'));
    UPDATE store.users SET created_at = '2024-05-01 10:00:00+00' WHERE id = tests.id('user');
    PERFORM tests.set_id('bare', tests.make_user());
END
$$;

SELECT is(
    api.get_me(tests.id('user')) - 'created_at',
    jsonb_build_object(
        'id', tests.id('user'), 'phone', tests.value('phone'), 'name', 'Asha Rao',
        'email', 'asha@example.com'
    ),
    'id, phone, name and email of the user'
);
SELECT is(
    (api.get_me(tests.id('user')) ->> 'created_at')::timestamptz, '2024-05-01 10:00:00+00',
    'created_at is when the user was created'
);
SELECT matches(
    api.get_me(tests.id('user')) ->> 'created_at',
    '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$',
    'created_at is ISO 8601 with an offset'
);
SELECT is(
    api.get_me(tests.id('bare')) -> 'name', 'null'::jsonb, 'a user without a name: name is null'
);
SELECT is(
    api.get_me(tests.id('bare')) -> 'email', 'null'::jsonb, 'a user without an email: email is null'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
