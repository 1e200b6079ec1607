-- list_products never lists an inactive product, whatever the filters.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.set_value('word', tests.unique_word());
    PERFORM tests.set_id('cat', tests.make_category('Inactive products'));
    PERFORM tests.set_id('active', tests.make_product(tests.id('cat')::integer,
        tests.value('word') || ' on sale', tests.value('word'), p_price => 100));
    PERFORM tests.set_id('inactive', tests.make_product(tests.id('cat')::integer,
        tests.value('word') || ' withdrawn', tests.value('word'), p_price => 200, p_is_active => FALSE));
    PERFORM tests.set_id('inactive_empty', tests.make_product(tests.id('cat')::integer,
        tests.value('word') || ' gone', tests.value('word'), p_price => 300, p_stock => 0,
        p_is_active => FALSE));
END
$$;

SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer)),
    tests.ids('{active}'),
    'by category: only the active product'
);
SELECT is(
    api.list_products(p_category_id => tests.id('cat')::integer) -> 'total', '1'::jsonb,
    'inactive products are not counted in total'
);
SELECT is(
    tests.item_ids(api.list_products(p_q => tests.value('word'))), tests.ids('{active}'),
    'by q: only the active product'
);
SELECT is(
    tests.item_ids(api.list_products(p_brand => tests.value('word'))), tests.ids('{active}'),
    'by brand: only the active product'
);
SELECT is(
    tests.item_ids(api.list_products(p_category_id => tests.id('cat')::integer, p_in_stock => FALSE)),
    '{}'::bigint[],
    'by in_stock false: not the inactive product without stock'
);
SELECT is(
    (
        SELECT count(*)::integer
        FROM generate_series(1, 1 + (api.list_products(p_page_size => 100) ->> 'total')::integer / 100)
            AS page_no (n),
            jsonb_array_elements(api.list_products(page_no.n, 100) -> 'items') AS item (doc)
        INNER JOIN store.products AS p ON p.id = (item.doc ->> 'id')::bigint
        WHERE NOT p.is_active
    ),
    0,
    'no filter: no page of the whole catalog lists an inactive product'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
