-- get_product: the list fields plus description, images ordered by position, category {id, name}
-- and stock.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.set_id('cat', tests.make_category('Zqx Puzzles'));
    PERFORM tests.set_id('product', tests.make_product(tests.id('cat')::integer, 'Jigsaw 100',
        'Puzzlers', p_price => 49900, p_mrp => 59900, p_stock => 7, p_age_min => 36,
        p_age_max => 96, p_gender => 'girl', p_description => 'A 100-piece jigsaw of a tiger.'));
    -- Pictures inserted out of order: the answer must follow position, not insertion.
    DELETE FROM store.product_images WHERE product_id = tests.id('product');
    PERFORM tests.make_image(tests.id('product'), 2, 'https://img.test.jiokidz.in/c.jpg', 'Box');
    PERFORM tests.make_image(tests.id('product'), 0, 'https://img.test.jiokidz.in/a.jpg', 'Front');
    PERFORM tests.make_image(tests.id('product'), 1, 'https://img.test.jiokidz.in/b.jpg', 'Side');
    UPDATE store.product_images SET content_version = 'v' || position
    WHERE product_id = tests.id('product');
    PERFORM tests.set_json('answer', api.get_product(tests.id('product')));

    PERFORM tests.set_id('bare', tests.make_product(tests.id('cat')::integer, 'No pictures'));
    DELETE FROM store.product_images WHERE product_id = tests.id('bare');
END
$$;

SELECT is(
    tests.pick(tests.json('answer'), ARRAY[
        'id', 'name', 'brand', 'price', 'mrp', 'category_id', 'age_min_months', 'age_max_months',
        'in_stock', 'description'
    ]),
    jsonb_build_object(
        'id', tests.id('product'), 'name', 'Jigsaw 100', 'brand', 'Puzzlers', 'price', 49900,
        'mrp', 59900, 'category_id', tests.id('cat'), 'age_min_months', 36, 'age_max_months', 96,
        'in_stock', TRUE, 'description', 'A 100-piece jigsaw of a tiger.'
    ),
    'the product''s fields and its description'
);
SELECT is(
    tests.json('answer') ->> 'slug',
    (
        SELECT p.slug
        FROM store.products AS p
        WHERE p.id = tests.id('product')
    ),
    'the slug'
);
SELECT is(
    tests.json('answer') -> 'images',
    '[
        {"url": "https://img.test.jiokidz.in/a.jpg?v=v0", "alt": "Front", "position": 0},
        {"url": "https://img.test.jiokidz.in/b.jpg?v=v1", "alt": "Side", "position": 1},
        {"url": "https://img.test.jiokidz.in/c.jpg?v=v2", "alt": "Box", "position": 2}
    ]'::jsonb,
    'images: url (with its content version), alt and position, ordered by position'
);
SELECT is(
    tests.json('answer') ->> 'image_url', 'https://img.test.jiokidz.in/a.jpg?v=v0',
    'image_url is the first picture'
);
SELECT is(
    tests.json('answer') -> 'category',
    jsonb_build_object('id', tests.id('cat'), 'name', 'Zqx Puzzles'),
    'category: its id and name'
);
SELECT is(tests.json('answer') -> 'stock', '7'::jsonb, 'stock: units available');
SELECT is(
    api.get_product(tests.id('bare')) -> 'images', '[]'::jsonb,
    'a product without pictures: images is an empty list'
);
SELECT is(
    api.get_product(tests.id('bare')) -> 'image_url', 'null'::jsonb,
    'a product without pictures: image_url is null'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
