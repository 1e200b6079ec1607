-- update_child: replaces name, date of birth and gender (left out: unspecified) and answers the
-- child with its new age.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('child', tests.make_child(tests.id('user'), 10, 'Old name', 'boy'));
    PERFORM tests.set_id('sibling', tests.make_child(tests.id('user'), 50, 'Sibling', 'girl'));
    PERFORM tests.set_json('answer', api.update_child(
        tests.id('user'), tests.id('child'), ' New name ', tests.born_months_ago(14), 'girl'
    ));
END
$$;

SELECT is(
    tests.json('answer'),
    jsonb_build_object(
        'id', tests.id('child'), 'name', 'New name', 'date_of_birth', tests.born_months_ago(14),
        'gender', 'girl', 'age_months', 14
    ),
    'every field replaced, the age follows the new birth date'
);
SELECT is(
    internal.child_json(tests.child_row(tests.id('child'))), tests.json('answer'),
    'the answer is the stored row'
);
SELECT is(
    api.update_child(tests.id('user'), tests.id('child'), 'New name', tests.born_months_ago(14), NULL)
    ->> 'gender',
    'unspecified',
    'gender left out: unspecified'
);
SELECT is(
    (tests.child_row(tests.id('sibling'))).name, 'Sibling', 'the other child is untouched'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
