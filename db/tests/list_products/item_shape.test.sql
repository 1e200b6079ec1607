-- list_products items: the fields of the contract with the product's values; image_url is the
-- picture with the lowest position.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.set_id('cat', tests.make_category('Item shape'));
    PERFORM tests.set_id('product', tests.make_product(tests.id('cat')::integer, 'Wooden Train Set',
        'Woodies', p_price => 49900, p_mrp => 59900, p_age_min => 24, p_age_max => 72,
        p_stock => 3));
    -- The factory's picture moves to position 3; a later picture takes position 1, so the
    -- thumbnail is not the first one inserted.
    UPDATE store.product_images SET position = 3 WHERE product_id = tests.id('product');
    PERFORM tests.make_image(tests.id('product'), 1, 'https://img.test.jiokidz.in/thumb.jpg');
    UPDATE store.product_images SET content_version = 'thumb1'
    WHERE url = 'https://img.test.jiokidz.in/thumb.jpg';
    PERFORM tests.set_id('bare', tests.make_product(tests.id('cat')::integer, 'No pictures',
        p_price => 100));
    DELETE FROM store.product_images WHERE product_id = tests.id('bare');
    PERFORM tests.set_json('list', api.list_products(p_category_id => tests.id('cat')::integer,
        p_sort => 'price_desc'));
END
$$;

SELECT ok(
    tests.json('list') ?& ARRAY['items', 'page', 'page_size', 'total'],
    'the answer has items, page, page_size and total'
);
SELECT ok(
    tests.item(tests.json('list'), tests.id('product')) ?& ARRAY[
        'id', 'name', 'slug', 'brand', 'price', 'mrp', 'image_url', 'category_id',
        'age_min_months', 'age_max_months', 'in_stock'
    ],
    'an item has every field of the contract'
);
SELECT is(
    tests.pick(
        tests.item(tests.json('list'), tests.id('product')),
        ARRAY[
            'id', 'name', 'slug', 'brand', 'price', 'mrp', 'category_id', 'age_min_months',
            'age_max_months', 'in_stock'
        ]
    ),
    (
        SELECT
            jsonb_build_object(
                'id', p.id, 'name', 'Wooden Train Set', 'slug', p.slug, 'brand', 'Woodies',
                'price', 49900, 'mrp', 59900, 'category_id', tests.id('cat'), 'age_min_months', 24,
                'age_max_months', 72, 'in_stock', TRUE
            )
        FROM store.products AS p
        WHERE p.id = tests.id('product')
    ),
    'an item carries the product''s values, money in paise'
);
SELECT is(
    tests.item(tests.json('list'), tests.id('product')) ->> 'image_url',
    'https://img.test.jiokidz.in/thumb.jpg?v=thumb1',
    'image_url is the picture with the lowest position, with its content version'
);
SELECT is(
    tests.item(tests.json('list'), tests.id('bare')) -> 'image_url', 'null'::jsonb,
    'a product without pictures: image_url is null'
);
SELECT is(
    tests.item_ids(tests.json('list')), tests.ids('{product,bare}'),
    'items are listed in the order asked'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
