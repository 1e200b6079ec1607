-- remove_from_wishlist: removes the user's entry and answers the wishlist; a product that is
-- not there (or unknown) changes nothing; another user's entry for the same product stays.
-- JK401 for a closed account.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('train', tests.make_product(p_name => 'Train'));
    PERFORM tests.set_id('kite', tests.make_product(p_name => 'Kite'));
    PERFORM tests.set_id('gone', tests.make_product(p_name => 'Gone'));
    PERFORM tests.make_wishlist_entry(tests.id('user'), tests.id('train'));
    PERFORM tests.make_wishlist_entry(tests.id('user'), tests.id('kite'));
    PERFORM tests.make_wishlist_entry(tests.id('user'), tests.id('gone'));
    PERFORM tests.make_wishlist_entry(tests.id('other'), tests.id('train'));
    UPDATE store.products SET is_active = FALSE WHERE id = tests.id('gone');
    PERFORM tests.set_json('answer', api.remove_from_wishlist(tests.id('user'), tests.id('train')));
END
$$;

SELECT is(tests.item_ids(tests.json('answer')), tests.ids('{kite}'), 'the answer is the wishlist without it');
SELECT is(tests.wishlist_ids(tests.id('other')), tests.ids('{train}'), 'another user''s entry stays');
SELECT is(
    api.remove_from_wishlist(tests.id('user'), tests.id('train')), tests.json('answer'),
    'removing it again is not an error and changes nothing'
);
SELECT is(
    api.remove_from_wishlist(tests.id('user'), 9223372036854775807), tests.json('answer'),
    'an unknown product is not an error'
);
DO $$ BEGIN PERFORM api.remove_from_wishlist(tests.id('user'), tests.id('gone')); END $$;
SELECT is(
    (
        SELECT array_agg(product_id) FROM store.wishlists
        WHERE user_id = tests.id('user')
    ),
    tests.ids('{kite}'),
    'the entry of an inactive product can be removed too'
);
SELECT throws_ok(
    format(
        $$SELECT api.remove_from_wishlist(%s, %s)$$,
        tests.make_user(p_deleted_at => now()), tests.id('kite')
    ),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.remove_from_wishlist(NULL, %s)$$, tests.id('kite')),
    'JK401', 'unauthorized', 'no user is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
