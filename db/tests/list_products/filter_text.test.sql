-- list_products q (full text over name, brand and description) and brand (exact, case-blind).
-- Fixtures use a made-up word that appears in no demo row.
BEGIN;

SELECT plan(11);

DO $$
BEGIN
    PERFORM tests.set_value('word', tests.unique_word());
    PERFORM tests.set_id('cat', tests.make_category('Text filters'));
    PERFORM tests.set_id(
        'by_name',
        tests.make_product(tests.id('cat')::integer, tests.value('word') || ' Rocket', p_price => 100)
    );
    PERFORM tests.set_id(
        'by_brand',
        tests.make_product(tests.id('cat')::integer, 'Plain car', tests.value('word'), p_price => 200)
    );
    PERFORM tests.set_id(
        'by_description',
        tests.make_product(
            tests.id('cat')::integer, 'Plain kite', p_price => 300,
            p_description => 'A ' || tests.value('word') || ' for windy days'
        )
    );
    PERFORM tests.set_id(
        'unrelated', tests.make_product(tests.id('cat')::integer, 'Plain doll', p_price => 400)
    );

    PERFORM tests.set_value('brand', tests.unique_word('Zqxbrand') || ' Toys');
    PERFORM tests.set_id('cat2', tests.make_category('Brand filters'));
    PERFORM tests.set_id(
        'branded', tests.make_product(tests.id('cat2')::integer, 'Branded', tests.value('brand'))
    );
    PERFORM tests.set_id(
        'other_brand', tests.make_product(tests.id('cat2')::integer, 'Unbranded', 'Another brand')
    );
END
$$;

SELECT is(
    tests.item_ids(api.list_products(p_q => tests.value('word'), p_sort => 'price_asc')),
    tests.ids('{by_name,by_brand,by_description}'),
    'q finds the word in the name, the brand and the description, across the whole catalog'
);
SELECT is(
    (api.list_products(p_q => tests.value('word')) -> 'total'), '3'::jsonb,
    'q: total counts the matches only'
);
SELECT is(
    tests.item_ids(api.list_products(p_q => lower(tests.value('word')) || ' rockets')),
    tests.ids('{by_name}'),
    'q with two words needs both (stemmed: rockets finds Rocket), case-blind'
);
SELECT is(
    tests.item_ids(api.list_products(p_q => tests.value('word') || ' -rocket', p_sort => 'price_asc')),
    tests.ids('{by_brand,by_description}'),
    'q understands web search syntax: -word excludes'
);
SELECT is(
    tests.item_ids(
        api.list_products(p_category_id => tests.id('cat')::integer, p_q => '   ', p_sort => 'price_asc')
    ),
    tests.ids('{by_name,by_brand,by_description,unrelated}'),
    'a blank q filters nothing'
);
SELECT is(
    (api.list_products(p_q => tests.value('word') || 'nomatch') -> 'total'), '0'::jsonb,
    'q with no match lists nothing'
);

SELECT is(
    tests.item_ids(api.list_products(p_brand => tests.value('brand'))),
    tests.ids('{branded}'),
    'brand lists that brand only, across the whole catalog'
);
SELECT is(
    tests.item_ids(api.list_products(p_brand => lower(tests.value('brand')))),
    tests.ids('{branded}'),
    'brand is case-blind (lower case)'
);
SELECT is(
    tests.item_ids(api.list_products(p_brand => upper(tests.value('brand')))),
    tests.ids('{branded}'),
    'brand is case-blind (upper case)'
);
SELECT is(
    (api.list_products(p_brand => split_part(tests.value('brand'), ' ', 1)) -> 'total'), '0'::jsonb,
    'brand matches the whole brand, not a part of it'
);
SELECT is(
    tests.item_ids(
        api.list_products(p_q => tests.value('word'), p_brand => tests.value('word'))
    ),
    tests.ids('{by_brand}'),
    'q and brand combine with AND'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
