-- list_products category_id: the category and its sub-categories, at any depth.
-- The demo catalog is present too: every fixture lives in fresh categories.
BEGIN;

SELECT plan(7);

-- root ── child ── grandchild;  other (top level)
DO $$
BEGIN
    PERFORM tests.set_id('root', tests.make_category('Filter root'));
    PERFORM tests.set_id('child', tests.make_category('Filter child', tests.id('root')::integer));
    PERFORM tests.set_id(
        'grandchild', tests.make_category('Filter grandchild', tests.id('child')::integer)
    );
    PERFORM tests.set_id('other', tests.make_category('Filter other'));
    PERFORM tests.set_id('in_root', tests.make_product(tests.id('root')::integer, 'In root', p_price => 100));
    PERFORM tests.set_id(
        'in_child', tests.make_product(tests.id('child')::integer, 'In child', p_price => 200)
    );
    PERFORM tests.set_id(
        'in_grandchild',
        tests.make_product(tests.id('grandchild')::integer, 'In grandchild', p_price => 300)
    );
    PERFORM tests.set_id(
        'in_other', tests.make_product(tests.id('other')::integer, 'In other', p_price => 400)
    );
END
$$;

SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('root')::integer, p_sort => 'price_asc')),
    tests.ids('{in_root,in_child,in_grandchild}'),
    'a top category lists its own products and those of every sub-category below it'
);
SELECT is(
    (api.list_products(p_category_id => tests.id('root')::integer) -> 'total'), '3'::jsonb,
    'total counts the whole subtree'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('child')::integer, p_sort => 'price_asc')),
    tests.ids('{in_child,in_grandchild}'),
    'a sub-category lists its own and its sub-categories'' products, not its parent''s'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('grandchild')::integer)),
    tests.ids('{in_grandchild}'),
    'a leaf category lists only its products'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('other')::integer)),
    tests.ids('{in_other}'),
    'another top category lists only its own products'
);
SELECT is(
    api.list_products(p_category_id => (SELECT max(c.id) + 1000 FROM store.categories AS c)),
    '{"items": [], "page": 1, "page_size": 20, "total": 0}'::jsonb,
    'an unknown category lists nothing (not an error)'
);
SELECT ok(
    (api.list_products(p_page_size => 100) -> 'total')::integer
    >= (api.list_products(p_category_id => tests.id('root')::integer) -> 'total')::integer + 1,
    'without a category filter, products of every category are counted'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
