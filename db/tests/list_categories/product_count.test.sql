-- list_categories: each active category with its fields; product_count counts the active
-- products of the category and of its active sub-categories (what filtering by it lists).
BEGIN;

SELECT plan(7);

-- root ── child ── grandchild;  empty (top level)
DO $$
BEGIN
    PERFORM tests.set_id('root', tests.make_category('Count root'));
    PERFORM tests.set_id('child', tests.make_category('Count child', tests.id('root')::integer));
    PERFORM tests.set_id(
        'grandchild', tests.make_category('Count grandchild', tests.id('child')::integer)
    );
    PERFORM tests.set_id('empty', tests.make_category('Count empty'));
    PERFORM tests.make_product(tests.id('root')::integer);
    PERFORM tests.make_product(tests.id('child')::integer);
    PERFORM tests.make_product(tests.id('child')::integer, p_stock => 0);
    PERFORM tests.make_product(tests.id('grandchild')::integer);
    PERFORM tests.make_product(tests.id('grandchild')::integer, p_is_active => FALSE);
    PERFORM tests.make_product(tests.id('empty')::integer, p_is_active => FALSE);
    PERFORM tests.set_json('answer', api.list_categories());
END
$$;

SELECT is(
    tests.item(tests.json('answer'), tests.id('root')) -> 'product_count', '4'::jsonb,
    'a top category counts its own and every descendant''s active products'
);
SELECT is(
    tests.item(tests.json('answer'), tests.id('child')) -> 'product_count', '3'::jsonb,
    'a sub-category counts its own and its sub-categories'', out-of-stock ones included'
);
SELECT is(
    tests.item(tests.json('answer'), tests.id('grandchild')) -> 'product_count', '1'::jsonb,
    'inactive products are not counted'
);
SELECT is(
    tests.item(tests.json('answer'), tests.id('empty')) -> 'product_count', '0'::jsonb,
    'a category with only inactive products counts 0 and is still listed'
);
SELECT is(
    (tests.item(tests.json('answer'), tests.id('root')) -> 'product_count')::integer,
    (api.list_products(p_category_id => tests.id('root')::integer) ->> 'total')::integer,
    'product_count equals what filtering by the category lists'
);
SELECT is(
    tests.pick(
        tests.item(tests.json('answer'), tests.id('child')),
        ARRAY['id', 'name', 'slug', 'parent_id']
    ),
    (
        SELECT
            jsonb_build_object(
                'id', c.id, 'name', 'Count child', 'slug', c.slug, 'parent_id', tests.id('root')
            )
        FROM store.categories AS c
        WHERE c.id = tests.id('child')
    ),
    'a category carries id, name, slug and parent_id'
);
SELECT is(
    tests.item(tests.json('answer'), tests.id('root')) -> 'parent_id', 'null'::jsonb,
    'a top category has parent_id null'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
