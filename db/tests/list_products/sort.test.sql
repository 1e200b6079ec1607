-- list_products sort: price_asc, price_desc, newest, popularity (sales_count), relevance (text
-- rank with q, else popularity); ties broken by id.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('cat', tests.make_category('Sorts'));
    PERFORM tests.set_id('a', tests.make_product(tests.id('cat')::integer, 'A', p_price => 300,
        p_sales_count => 5, p_created_at => now() - interval '3 days'));
    PERFORM tests.set_id('b', tests.make_product(tests.id('cat')::integer, 'B', p_price => 100,
        p_sales_count => 50, p_created_at => now() - interval '1 day'));
    PERFORM tests.set_id('c', tests.make_product(tests.id('cat')::integer, 'C', p_price => 200,
        p_sales_count => 20, p_created_at => now() - interval '2 days'));
    -- d ties with c on price, sales and age; it was created after c, so its id is larger.
    PERFORM tests.set_id('d', tests.make_product(tests.id('cat')::integer, 'D', p_price => 200,
        p_sales_count => 20, p_created_at => now() - interval '2 days'));

    -- The search word sits in the name (weight A), the brand (B) or the description (C) only;
    -- sales run the other way, so relevance cannot be mistaken for popularity.
    PERFORM tests.set_value('word', tests.unique_word());
    PERFORM tests.set_id('cat2', tests.make_category('Relevance'));
    PERFORM tests.set_id('in_description', tests.make_product(tests.id('cat2')::integer, 'Kite',
        p_price => 100, p_sales_count => 90, p_description => 'Kite by ' || tests.value('word')));
    PERFORM tests.set_id('in_brand', tests.make_product(tests.id('cat2')::integer, 'Yoyo',
        tests.value('word'), p_price => 300, p_sales_count => 50));
    PERFORM tests.set_id('in_name', tests.make_product(tests.id('cat2')::integer,
        tests.value('word') || ' Train', p_price => 200, p_sales_count => 10));
END
$$;

SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer, p_sort => 'price_asc')),
    tests.ids('{b,c,d,a}'),
    'price_asc: cheapest first, equal prices by id'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer, p_sort => 'price_desc')),
    tests.ids('{a,c,d,b}'),
    'price_desc: dearest first, equal prices by id'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer, p_sort => 'newest')),
    tests.ids('{b,d,c,a}'),
    'newest: latest created first, equal times by id, newest id first'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer, p_sort => 'popularity')),
    tests.ids('{b,c,d,a}'),
    'popularity: most sold first, equal sales by id'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer, p_sort => 'relevance')),
    tests.ids('{b,c,d,a}'),
    'relevance without q: as popularity'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer)),
    tests.ids('{b,c,d,a}'),
    'the default sort is relevance'
);
SELECT is(
    tests.item_ids(api.list_products(p_q => tests.value('word'), p_sort => 'relevance')),
    tests.ids('{in_name,in_brand,in_description}'),
    'relevance with q: a match in the name before one in the brand before one in the description'
);
SELECT is(
    tests.item_ids(api.list_products(p_q => tests.value('word'))),
    tests.ids('{in_name,in_brand,in_description}'),
    'q without a sort ranks by relevance'
);
SELECT is(
    tests.item_ids(api.list_products(p_q => tests.value('word'), p_sort => 'price_desc')),
    tests.ids('{in_brand,in_name,in_description}'),
    'q with another sort: filtered by q, ordered by that sort'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
