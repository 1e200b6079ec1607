-- add_to_wishlist: saves an active product (out of stock too) and answers the wishlist; saving
-- it again changes nothing; JK404 product_not_found for an unknown or inactive product; JK401.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('train', tests.make_product(p_name => 'Train'));
    PERFORM tests.set_id('sold_out', tests.make_product(p_name => 'Sold out', p_stock => 0));
    PERFORM tests.set_id('inactive', tests.make_product(p_name => 'Inactive', p_is_active => FALSE));
    PERFORM tests.set_json('answer', api.add_to_wishlist(tests.id('user'), tests.id('train')));
    UPDATE store.wishlists SET created_at = '2026-01-01 10:00+00' WHERE user_id = tests.id('user');
END
$$;

SELECT is(tests.json('answer') -> 'items' -> 0 ->> 'id', tests.id('train')::text, 'the product is saved');
SELECT is(
    tests.json('answer') - 'items', '{}'::jsonb, 'the answer is the wishlist ({"items": [...]})'
);
SELECT is(
    api.add_to_wishlist(tests.id('user'), tests.id('train')), api.list_wishlist(tests.id('user')),
    'saving it again answers the same wishlist'
);
SELECT is(
    (
        SELECT array_agg(created_at) FROM store.wishlists
        WHERE user_id = tests.id('user')
    ),
    ARRAY['2026-01-01 10:00+00'::timestamptz],
    'one entry, its added_at unchanged'
);
SELECT is(
    tests.item_ids(api.add_to_wishlist(tests.id('user'), tests.id('sold_out'))),
    tests.ids('{sold_out,train}'),
    'an out-of-stock product can be saved'
);
SELECT throws_ok(
    format($$SELECT api.add_to_wishlist(%s, %s)$$, tests.id('user'), tests.id('inactive')),
    'JK404', 'product_not_found', 'an inactive product is not found'
);
SELECT throws_ok(
    format($$SELECT api.add_to_wishlist(%s, 9223372036854775807)$$, tests.id('user')),
    'JK404', 'product_not_found', 'an unknown product is not found'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.wishlists
        WHERE user_id = tests.id('user')
    ), 2,
    'refused products were not saved'
);
SELECT throws_ok(
    format($$SELECT api.add_to_wishlist(%s, %s)$$, tests.make_user(p_deleted_at => now()), tests.id('train')),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    format($$SELECT api.add_to_wishlist(NULL, %s)$$, tests.id('train')),
    'JK401', 'unauthorized', 'no user is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
