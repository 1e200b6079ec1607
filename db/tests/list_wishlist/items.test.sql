-- list_wishlist: the user's saved products, newest first, each a product summary with the
-- current price, stock available now and added_at; inactive products are left out without
-- losing the entry; another user's wishlist is not shown. JK401 for a closed account.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('train', tests.make_product(p_name => 'Wooden Train', p_price => 49900,
        p_mrp => 59900, p_stock => 5));
    PERFORM tests.set_id('kite', tests.make_product(p_name => 'Kite', p_stock => 0));
    PERFORM tests.set_id('gone', tests.make_product(p_name => 'Discontinued'));
    PERFORM tests.make_wishlist_entry(tests.id('user'), tests.id('train'), '2026-01-01 10:00+00');
    PERFORM tests.make_wishlist_entry(tests.id('user'), tests.id('kite'), '2026-02-01 10:00+00');
    PERFORM tests.make_wishlist_entry(tests.id('user'), tests.id('gone'), '2026-03-01 10:00+00');
    UPDATE store.products SET is_active = FALSE WHERE id = tests.id('gone');
    -- 2 of the train's 5 units are held by an unpaid order.
    PERFORM tests.make_reservation(tests.id('train'), 2);
    UPDATE store.products SET price = 44900 WHERE id = tests.id('train');
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.make_wishlist_entry(tests.id('other'), tests.make_product(p_name => 'Theirs'));
    PERFORM tests.set_json('list', api.list_wishlist(tests.id('user')));
    PERFORM tests.set_id('empty', tests.make_user());
END
$$;

SELECT is(
    tests.item_ids(tests.json('list')), tests.ids('{kite,train}'),
    'newest first; the inactive product and another user''s entries are left out'
);
SELECT is(
    tests.item(tests.json('list'), tests.id('train')),
    internal.product_summary(
        (
            SELECT s.summary FROM store.product_summaries AS s
            WHERE s.product_id = tests.id('train')
        ),
        3
    ) || jsonb_build_object('stock', 3, 'added_at', '2026-01-01T10:00:00+00:00'::text),
    'an item is the product summary plus stock and added_at'
);
SELECT is(
    tests.item(tests.json('list'), tests.id('train')) -> 'price', '44900'::jsonb,
    'the price is the current one'
);
SELECT is(
    tests.pick(tests.item(tests.json('list'), tests.id('train')), ARRAY['in_stock', 'stock']),
    '{"in_stock": true, "stock": 3}'::jsonb,
    'stock counts the units available now (on hand minus active reservations)'
);
SELECT is(
    tests.pick(tests.item(tests.json('list'), tests.id('kite')), ARRAY['in_stock', 'stock']),
    '{"in_stock": false, "stock": 0}'::jsonb,
    'an out-of-stock product stays listed'
);
SELECT ok(
    EXISTS (
        SELECT FROM store.wishlists
        WHERE user_id = tests.id('user') AND product_id = tests.id('gone')
    ),
    'the inactive product''s entry is kept'
);
DO $$ BEGIN UPDATE store.products SET is_active = TRUE WHERE id = tests.id('gone'); END $$;
SELECT is(
    tests.wishlist_ids(tests.id('user')), tests.ids('{gone,kite,train}'),
    'and shows again when the product is back'
);
SELECT is(api.list_wishlist(tests.id('empty')), '{"items": []}'::jsonb, 'nothing saved: an empty list');
SELECT throws_ok(
    format($$SELECT api.list_wishlist(%s)$$, tests.make_user(p_deleted_at => now())),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
