-- create_child: stores the child (name trimmed, gender unspecified unless given) and answers
-- it with age_months; the date of birth may be today or exactly 18 years ago.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_json(
        'answer', api.create_child(tests.id('user'), '  Anaya ', tests.born_months_ago(30), 'girl')
    );
END
$$;

SELECT is(
    tests.json('answer') - 'id',
    jsonb_build_object(
        'name', 'Anaya', 'date_of_birth', tests.born_months_ago(30), 'gender', 'girl',
        'age_months', 30
    ),
    'the answer is the child, name trimmed, with its age in months'
);
SELECT is(
    (tests.child_row((tests.json('answer') ->> 'id')::bigint)).user_id, tests.id('user'),
    'the child belongs to the user'
);
SELECT is(
    api.create_child(tests.id('user'), 'Kabir', current_date - 400) ->> 'gender', 'unspecified',
    'gender left out: unspecified'
);
SELECT is(
    api.create_child(tests.id('user'), 'Kabir', current_date - 400, NULL) ->> 'gender', 'unspecified',
    'gender NULL (absent from the body): unspecified'
);
SELECT is(
    api.create_child(tests.id('user'), 'Newborn', current_date) -> 'age_months', '0'::jsonb,
    'born today is accepted: 0 months'
);
SELECT is(
    api.create_child(tests.id('user'), 'Adult soon', (current_date - interval '18 years')::date)
    -> 'age_months',
    '216'::jsonb,
    'born exactly 18 years ago is accepted: 216 months'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.children
        WHERE user_id = tests.id('user')
    ), 5,
    'every child was stored'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
