-- list_categories: inactive categories are not listed, and their products are not counted in
-- any listed category; top-level categories come first.
BEGIN;

SELECT plan(5);

-- root ── hidden (inactive) ── under_hidden;  gone (inactive, top level)
DO $$
BEGIN
    PERFORM tests.set_id('root', tests.make_category('Visible root'));
    PERFORM tests.set_id(
        'hidden', tests.make_category('Hidden', tests.id('root')::integer, p_is_active => FALSE)
    );
    PERFORM tests.set_id(
        'under_hidden', tests.make_category('Under hidden', tests.id('hidden')::integer)
    );
    PERFORM tests.set_id('gone', tests.make_category('Gone', p_is_active => FALSE));
    PERFORM tests.make_product(tests.id('root')::integer);
    PERFORM tests.make_product(tests.id('hidden')::integer);
    PERFORM tests.make_product(tests.id('under_hidden')::integer);
    PERFORM tests.make_product(tests.id('gone')::integer);
    PERFORM tests.set_json('answer', api.list_categories());
END
$$;

SELECT is(
    tests.item(tests.json('answer'), tests.id('gone')), NULL,
    'an inactive top category is not listed'
);
SELECT is(
    tests.item(tests.json('answer'), tests.id('hidden')), NULL,
    'an inactive sub-category is not listed'
);
SELECT is(
    tests.item(tests.json('answer'), tests.id('root')) -> 'product_count', '1'::jsonb,
    'products in an inactive sub-category (and below it) are not counted in the parent'
);
SELECT is(
    (
        SELECT count(*)::integer
        FROM jsonb_array_elements(tests.json('answer') -> 'items') AS i (item)
        LEFT JOIN store.categories AS c ON (i.item ->> 'id')::integer = c.id
        WHERE c.id IS NULL OR NOT c.is_active
    ),
    0,
    'every listed item is an existing, active category'
);
SELECT is(
    (
        SELECT count(*)::integer
        FROM jsonb_array_elements(tests.json('answer') -> 'items') WITH ORDINALITY AS top (item, n)
        INNER JOIN jsonb_array_elements(tests.json('answer') -> 'items') WITH ORDINALITY AS sub (item, n)
            ON top.n > sub.n
        WHERE top.item -> 'parent_id' = 'null'::jsonb AND sub.item -> 'parent_id' <> 'null'::jsonb
    ),
    0,
    'top-level categories come before every sub-category'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
