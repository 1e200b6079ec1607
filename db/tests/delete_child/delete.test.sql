-- delete_child: removes the child and answers the remaining children; JK404 child_not_found
-- for another user's (left in place), an unknown or an already removed child; JK401.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('kept', tests.make_child(tests.id('user'), 60));
    PERFORM tests.set_id('removed', tests.make_child(tests.id('user'), 6));
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('theirs', tests.make_child(tests.id('other'), 20));
    PERFORM tests.set_json('answer', api.delete_child(tests.id('user'), tests.id('removed')));
END
$$;

SELECT is(tests.json('answer'), api.list_children(tests.id('user')), 'the answer is the remaining list');
SELECT is(tests.item_ids(tests.json('answer')), tests.ids('{kept}'), 'the child is gone from it');
SELECT is(tests.child_row(tests.id('removed')), NULL, 'and from the table');
SELECT throws_ok(
    format($$SELECT api.delete_child(%s, %s)$$, tests.id('user'), tests.id('removed')),
    'JK404', 'child_not_found', 'a child already removed is not found'
);
SELECT throws_ok(
    format($$SELECT api.delete_child(%s, %s)$$, tests.id('user'), tests.id('theirs')),
    'JK404', 'child_not_found', 'another user''s child is not found'
);
SELECT isnt(tests.child_row(tests.id('theirs')), NULL, 'another user''s child is still there');
SELECT throws_ok(
    format($$SELECT api.delete_child(%s, %s)$$, tests.make_user(p_deleted_at => now()), tests.id('kept')),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.delete_child(NULL, %s)$$, tests.id('kept')),
    'JK401', 'unauthorized', 'no user is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
