-- list_categories after the catalog moves: a product moved to another category, a
-- sub-category moved under another parent and a product switched off each move the counts of
-- every category above them; for every listed category, product_count stays a fresh count of
-- what filtering by it lists.
BEGIN;

SELECT plan(4);

-- a ── a_child;  b ── b_child
DO $$
BEGIN
    PERFORM tests.set_id('a', tests.make_category('Move A'));
    PERFORM tests.set_id('a_child', tests.make_category('Move A child', tests.id('a')::integer));
    PERFORM tests.set_id('b', tests.make_category('Move B'));
    PERFORM tests.set_id('b_child', tests.make_category('Move B child', tests.id('b')::integer));
    PERFORM tests.set_id('p1', tests.make_product(tests.id('a_child')::integer));
    PERFORM tests.set_id('p2', tests.make_product(tests.id('a_child')::integer));
    PERFORM tests.set_id('p3', tests.make_product(tests.id('b_child')::integer));
    UPDATE store.products SET category_id = tests.id('b_child') WHERE id = tests.id('p1');
    UPDATE store.categories SET parent_id = tests.id('a') WHERE id = tests.id('b_child');
    UPDATE store.products SET is_active = FALSE WHERE id = tests.id('p2');
    PERFORM tests.set_json('answer', api.list_categories());
END
$$;

SELECT is(
    tests.item(tests.json('answer'), tests.id('a')) -> 'product_count', '2'::jsonb,
    'a parent counts the products of a sub-category moved under it'
);
SELECT is(
    tests.item(tests.json('answer'), tests.id('b')) -> 'product_count', '0'::jsonb,
    'the old parent no longer counts them'
);
SELECT is(
    tests.item(tests.json('answer'), tests.id('a_child')) -> 'product_count', '0'::jsonb,
    'a category whose products moved away or were switched off counts none'
);
SELECT is(
    (
        SELECT count(*)::integer
        FROM jsonb_array_elements(tests.json('answer') -> 'items') AS i (item)
        WHERE (i.item ->> 'product_count')::bigint <> (
            SELECT count(*) FROM store.products AS p
            WHERE
                p.is_active
                AND p.category_id IN (SELECT internal.category_subtree((i.item ->> 'id')::integer))
        )
    ),
    0,
    'every category''s product_count is a fresh count of what filtering by it lists (demo too)'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
