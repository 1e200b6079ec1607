-- list_products pagination: page/page_size/total, pages that never overlap (ties broken by id),
-- an empty page past the end, defaults page 1 and page_size 20.
BEGIN;

SELECT plan(12);

DO $$
BEGIN
    PERFORM tests.set_id('cat', tests.make_category('Pages'));
    FOR i IN 1..5 LOOP
        PERFORM tests.set_id('p' || i, tests.make_product(tests.id('cat')::integer, 'Page item ' || i,
            p_price => i * 100));
    END LOOP;
    -- Seven products that tie on every sort key but id.
    PERFORM tests.set_id('ties', tests.make_category('Ties'));
    FOR i IN 1..7 LOOP
        PERFORM tests.set_id('t' || i, tests.make_product(tests.id('ties')::integer, 'Tie'));
    END LOOP;
END
$$;

SELECT is(
    api.list_products(1, 2, tests.id('cat')::integer, p_sort => 'price_asc') - 'items',
    '{"page": 1, "page_size": 2, "total": 5}'::jsonb,
    'page, page_size and total are echoed'
);
SELECT is(
    tests.item_ids(api.list_products(1, 2, tests.id('cat')::integer, p_sort => 'price_asc')),
    tests.ids('{p1,p2}'),
    'page 1 of 2'
);
SELECT is(
    tests.item_ids(api.list_products(2, 2, tests.id('cat')::integer, p_sort => 'price_asc')),
    tests.ids('{p3,p4}'),
    'page 2 of 2'
);
SELECT is(
    tests.item_ids(api.list_products(3, 2, tests.id('cat')::integer, p_sort => 'price_asc')),
    tests.ids('{p5}'),
    'the last page holds the rest'
);
SELECT is(
    api.list_products(3, 2, tests.id('cat')::integer, p_sort => 'price_asc') -> 'total', '5'::jsonb,
    'total is the same on every page'
);
SELECT is(
    api.list_products(4, 2, tests.id('cat')::integer, p_sort => 'price_asc'),
    '{"items": [], "page": 4, "page_size": 2, "total": 5}'::jsonb,
    'a page past the end is empty, with the total'
);
SELECT is(
    tests.item_ids(api.list_products(1, 2, tests.id('cat')::integer, p_sort => 'price_desc'))
    || tests.item_ids(api.list_products(2, 2, tests.id('cat')::integer, p_sort => 'price_desc'))
    || tests.item_ids(api.list_products(3, 2, tests.id('cat')::integer, p_sort => 'price_desc')),
    tests.ids('{p5,p4,p3,p2,p1}'),
    'the pages of another sort follow each other without gap or overlap'
);
SELECT is(
    tests.item_ids(api.list_products(1, 3, tests.id('ties')::integer, p_sort => 'popularity'))
    || tests.item_ids(api.list_products(2, 3, tests.id('ties')::integer, p_sort => 'popularity'))
    || tests.item_ids(api.list_products(3, 3, tests.id('ties')::integer, p_sort => 'popularity')),
    tests.ids('{t1,t2,t3,t4,t5,t6,t7}'),
    'products that tie on the sort key: pages by id, none twice, none missed'
);
SELECT is(
    tests.item_ids(api.list_products(1, 3, tests.id('ties')::integer, p_sort => 'newest'))
    || tests.item_ids(api.list_products(2, 3, tests.id('ties')::integer, p_sort => 'newest'))
    || tests.item_ids(api.list_products(3, 3, tests.id('ties')::integer, p_sort => 'newest')),
    tests.ids('{t7,t6,t5,t4,t3,t2,t1}'),
    'equal creation times: pages by id, newest first, none twice, none missed'
);
SELECT is(
    api.list_products(p_category_id => tests.id('cat')::integer) - 'items',
    '{"page": 1, "page_size": 20, "total": 5}'::jsonb,
    'defaults: page 1, page_size 20'
);
SELECT is(
    jsonb_array_length(api.list_products(1, 100) -> 'items'),
    least((api.list_products(1, 100) -> 'total')::integer, 100),
    'page_size 100 is allowed and fills the page'
);
SELECT is(
    jsonb_array_length(api.list_products(1, 1) -> 'items'), 1,
    'page_size 1 lists one product'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
