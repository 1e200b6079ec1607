-- list_children: the user's children only, oldest first, with the contract's fields and
-- age_months computed today. JK401 for a closed account.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('baby', tests.make_child(tests.id('user'), 5, 'Baby', 'girl'));
    PERFORM tests.set_id('big', tests.make_child(tests.id('user'), 100, 'Big', 'boy'));
    PERFORM tests.set_id('twin_a', tests.make_child(tests.id('user'), 40, 'Twin A'));
    PERFORM tests.set_id('twin_b', tests.make_child(tests.id('user'), 40, 'Twin B'));
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.make_child(tests.id('other'), 50, 'Not yours');
    PERFORM tests.set_id('empty', tests.make_user());
END
$$;

SELECT is(
    tests.item_ids(api.list_children(tests.id('user'))),
    tests.ids('{big,twin_a,twin_b,baby}'),
    'oldest first (same birthday: in the order added); another user''s child left out'
);
SELECT is(
    tests.item(api.list_children(tests.id('user')), tests.id('baby')),
    jsonb_build_object(
        'id', tests.id('baby'), 'name', 'Baby', 'date_of_birth', tests.born_months_ago(5),
        'gender', 'girl', 'age_months', 5
    ),
    'an item has exactly the fields of the contract'
);
SELECT is(
    (tests.item(api.list_children(tests.id('user')), tests.id('big')) -> 'age_months'), '100'::jsonb,
    'age_months is the age today'
);
SELECT is(
    (tests.item(api.list_children(tests.id('user')), tests.id('baby')) ->> 'date_of_birth'),
    to_char(tests.born_months_ago(5), 'YYYY-MM-DD'),
    'date_of_birth is YYYY-MM-DD'
);
SELECT is(api.list_children(tests.id('empty')), '{"items": []}'::jsonb, 'no child: an empty list');
SELECT throws_ok(
    format($$SELECT api.list_children(%s)$$, tests.make_user(p_deleted_at => now())),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
