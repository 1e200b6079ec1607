-- child_recommendations: active, in-stock products whose age range holds the child's age
-- today (both ends inclusive), most popular first (ties by id), leaving out the user's cart and
-- wishlist but not another user's; at most p_limit (default 20).
-- The test products sell far more than any demo product, so they head the list.
BEGIN;

SELECT plan(9);

DO $$
DECLARE
    c_hot constant bigint := 1000000000000;  -- sales_count above every demo product
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('child', tests.make_child(tests.id('user'), 30));
    PERFORM tests.set_id('other', tests.make_user());

    PERFORM tests.set_id('first', tests.make_product(p_name => 'First', p_age_min => 20, p_age_max => 40,
        p_sales_count => c_hot + 5));
    PERFORM tests.set_id('second', tests.make_product(p_name => 'Second', p_sales_count => c_hot + 4,
        p_stock => 1));
    PERFORM tests.set_id('others_cart', tests.make_product(p_name => 'In another cart',
        p_sales_count => c_hot + 3));
    PERFORM tests.set_id('age_min_edge', tests.make_product(p_name => 'From 30 months', p_age_min => 30,
        p_age_max => 40, p_sales_count => c_hot + 2));
    PERFORM tests.set_id('age_max_edge', tests.make_product(p_name => 'Up to 30 months', p_age_min => 10,
        p_age_max => 30, p_sales_count => c_hot + 1));
    PERFORM tests.set_id('tie_a', tests.make_product(p_name => 'Tie A', p_sales_count => c_hot));
    PERFORM tests.set_id('tie_b', tests.make_product(p_name => 'Tie B', p_sales_count => c_hot));

    PERFORM tests.set_id('in_cart', tests.make_product(p_name => 'In my cart', p_sales_count => c_hot + 20));
    PERFORM tests.set_id('in_wishlist', tests.make_product(p_name => 'In my wishlist',
        p_sales_count => c_hot + 21));
    PERFORM tests.set_id('sold_out', tests.make_product(p_name => 'Sold out', p_stock => 0,
        p_sales_count => c_hot + 22));
    PERFORM tests.set_id('no_inventory', tests.make_product(p_name => 'Never stocked', p_stock => NULL,
        p_sales_count => c_hot + 23));
    PERFORM tests.set_id('reserved', tests.make_product(p_name => 'All reserved', p_stock => 2,
        p_sales_count => c_hot + 24));
    PERFORM tests.make_reservation(tests.id('reserved'), 2);
    PERFORM tests.set_id('too_young', tests.make_product(p_name => 'Baby toy', p_age_min => 0,
        p_age_max => 29, p_sales_count => c_hot + 25));
    PERFORM tests.set_id('too_old', tests.make_product(p_name => 'Big kid toy', p_age_min => 31,
        p_age_max => 216, p_sales_count => c_hot + 26));
    PERFORM tests.set_id('inactive', tests.make_product(p_name => 'Inactive', p_is_active => FALSE,
        p_sales_count => c_hot + 27));

    PERFORM tests.add_cart_line(tests.id('user'), tests.id('in_cart'));
    PERFORM tests.make_wishlist_entry(tests.id('user'), tests.id('in_wishlist'));
    PERFORM tests.add_cart_line(tests.id('other'), tests.id('others_cart'));
    PERFORM tests.make_wishlist_entry(tests.id('other'), tests.id('others_cart'));

    PERFORM tests.set_json('top', api.child_recommendations(tests.id('user'), tests.id('child'), 50));
END
$$;

SELECT is(
    (tests.item_ids(tests.json('top')))[1:7],
    tests.ids('{first,second,others_cart,age_min_edge,age_max_edge,tie_a,tie_b}'),
    'matching products by sales, ties by id; another user''s cart and wishlist do not count'
);
SELECT is(
    array(
        SELECT u.id FROM unnest(tests.item_ids(tests.json('top'))) AS u (id)
        WHERE u.id = any(tests.ids(
            '{in_cart,in_wishlist,sold_out,no_inventory,reserved,too_young,too_old,inactive}'
        ))
    ),
    '{}'::bigint[],
    'left out: in my cart or wishlist, out of stock (reservations counted), wrong age, inactive'
);
SELECT is(
    cardinality(tests.item_ids(tests.json('top'))), 50, 'limit 50 answers 50 (the demo store has more)'
);
SELECT is(
    (
        SELECT count(*)::integer
        FROM unnest(tests.item_ids(tests.json('top'))) AS u (id)
        INNER JOIN store.products AS p ON u.id = p.id
        WHERE NOT (
            p.is_active AND p.age_min_months <= 30 AND p.age_max_months >= 30
            AND internal.available_stock(p.id) > 0
        )
    ),
    0,
    'every product listed (demo ones included) is active, in stock and suits 30 months'
);
SELECT is(
    tests.item(tests.json('top'), tests.id('first')),
    internal.product_summary(
        (
            SELECT s.summary FROM store.product_summaries AS s
            WHERE s.product_id = tests.id('first')
        ),
        internal.available_stock(tests.id('first'))
    ),
    'an item is the product summary, as GET /products lists it'
);
SELECT is(
    tests.item_ids(api.child_recommendations(tests.id('user'), tests.id('child'), 3)),
    tests.ids('{first,second,others_cart}'),
    'limit 3: the top 3'
);
SELECT is(
    cardinality(tests.item_ids(api.child_recommendations(tests.id('user'), tests.id('child')))), 20,
    'no limit: 20'
);

DO $$
BEGIN
    DELETE FROM store.wishlists WHERE user_id = tests.id('user');
    UPDATE store.inventory SET on_hand = 0 WHERE product_id = tests.id('first');
END
$$;
SELECT is(
    (tests.item_ids(api.child_recommendations(tests.id('user'), tests.id('child'), 3))),
    tests.ids('{in_wishlist,second,others_cart}'),
    'computed at read time: a product leaving the wishlist comes back, one selling out goes'
);
DO $$
BEGIN
    UPDATE store.children SET date_of_birth = tests.born_months_ago(5) WHERE id = tests.id('child');
END
$$;
SELECT is(
    (tests.item_ids(api.child_recommendations(tests.id('user'), tests.id('child'), 1))),
    tests.ids('{too_young}'),
    'the child''s age is read now: at 5 months the baby toy leads'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
