-- update_me: sets name and/or email (email trimmed and lower-cased), keeps what is left out,
-- never touches the phone, and answers the profile as get_me does.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_value('phone', tests.new_phone());
    PERFORM tests.set_id('user', tests.make_user(tests.value('phone'), 'Asha', 'asha@example.com'));
    UPDATE store.users SET updated_at = now() - interval '1 day' WHERE id = tests.id('user');
    PERFORM tests.set_json('renamed', api.update_me(tests.id('user'), p_name => '  Asha Rao '));
END
$$;

SELECT is(
    tests.json('renamed'), api.get_me(tests.id('user')), 'the answer is the profile, as get_me'
);
SELECT is(
    tests.pick(tests.json('renamed'), ARRAY['name', 'email', 'phone']),
    jsonb_build_object('name', 'Asha Rao', 'email', 'asha@example.com', 'phone', tests.value('phone')),
    'name only: the name is trimmed and set, the email and phone are kept'
);
SELECT cmp_ok(
    (
        SELECT updated_at FROM store.users
        WHERE id = tests.id('user')
    ),
    '>', now() - interval '1 minute',
    'updated_at moves'
);

SELECT is(
    tests.pick(
        api.update_me(tests.id('user'), p_email => ' Asha.Rao+Kids@Example.CO.IN '), ARRAY['name', 'email']
    ),
    '{"name": "Asha Rao", "email": "asha.rao+kids@example.co.in"}'::jsonb,
    'email only: trimmed and lower-cased, the name is kept'
);
SELECT is(
    tests.pick(api.update_me(tests.id('user'), 'Ravi', 'ravi@example.com'), ARRAY['name', 'email']),
    '{"name": "Ravi", "email": "ravi@example.com"}'::jsonb,
    'both at once'
);
SELECT is(
    tests.pick(api.update_me(tests.id('user')), ARRAY['name', 'email', 'phone']),
    jsonb_build_object('name', 'Ravi', 'email', 'ravi@example.com', 'phone', tests.value('phone')),
    'nothing given: nothing changes'
);
SELECT is(
    (
        SELECT phone FROM store.users
        WHERE id = tests.id('user')
    ), tests.value('phone'
    ),
    'the phone is never changed'
);
SELECT is(
    (api.update_me(tests.id('user'), p_name => repeat('n', 100)) ->> 'name'), repeat('n', 100),
    'a name of 100 characters is accepted'
);
SELECT is(
    (api.update_me(tests.id('user'), p_email => 'a@b.in') ->> 'email'), 'a@b.in',
    'a short email is accepted'
);
SELECT is(
    (
        SELECT is_staff FROM store.users
        WHERE id = tests.id('user')
    ), FALSE,
    'is_staff is untouched'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
