-- Picture URLs carry their content's version (db/tables/380_product_image_versions.sql): the
-- rendering (store.versioned_image_url), the stand-in version of a picture recorded without
-- one, the versions refused, and every URL the catalog shows: detail, list, cart thumbnail.
BEGIN;

SELECT plan(14);

SELECT is(
    store.versioned_image_url('https://img.test.jiokidz.in/a.jpg', 'f00d'),
    'https://img.test.jiokidz.in/a.jpg?v=f00d',
    'a URL without a query: ?v='
);
SELECT is(
    store.versioned_image_url('https://img.test.jiokidz.in/a.jpg?w=400', 'f00d'),
    'https://img.test.jiokidz.in/a.jpg?w=400&v=f00d',
    'a URL with a query: &v='
);
SELECT is(
    store.versioned_image_url('https://img.test.jiokidz.in/a.jpg?', 'f00d'),
    'https://img.test.jiokidz.in/a.jpg?v=f00d',
    'an empty query: v= alone'
);
SELECT is(
    ARRAY[
        store.versioned_image_url('https://img.test.jiokidz.in/a.jpg#top', 'f00d'),
        store.versioned_image_url('https://img.test.jiokidz.in/a.jpg?w=4#top', 'f00d'),
        store.versioned_image_url('https://img.test.jiokidz.in/a.jpg#x?y', 'f00d')
    ],
    ARRAY[
        'https://img.test.jiokidz.in/a.jpg?v=f00d#top',
        'https://img.test.jiokidz.in/a.jpg?w=4&v=f00d#top',
        'https://img.test.jiokidz.in/a.jpg?v=f00d#x?y'
    ],
    'a fragment stays last; a ? inside it is not a query'
);

DO $$
BEGIN
    PERFORM tests.set_id('cat', tests.make_category('Versioned pictures'));
    PERFORM tests.set_id('toy', tests.make_product(tests.id('cat')::integer, 'Versioned toy'));
    DELETE FROM store.product_images WHERE product_id = tests.id('toy');
    INSERT INTO store.product_images (product_id, url, position)
    VALUES (tests.id('toy'), 'https://img.test.jiokidz.in/front.jpg', 0);
    INSERT INTO store.product_images (product_id, url, position, content_version)
    VALUES (tests.id('toy'), 'https://img.test.jiokidz.in/side.jpg?w=800', 1, 'sha256-9f86d081');
END
$$;

SELECT is(
    (
        SELECT array_agg(img.content_version ORDER BY img.position)
        FROM store.product_images AS img
        WHERE img.product_id = tests.id('toy')
    ),
    ARRAY[left(md5('https://img.test.jiokidz.in/front.jpg'), 12), 'sha256-9f86d081'],
    'recorded without a version: left(md5(url), 12); with one: kept as given'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.product_images AS img
        WHERE img.product_id <> tests.id('toy') AND img.content_version <> left(md5(img.url), 12)
    ),
    0,
    'the demo pictures carry the stand-in version'
);

SELECT throws_ok(
    $$UPDATE store.product_images SET content_version = 'two words' WHERE product_id = tests.id('toy')$$,
    '23514', NULL, 'a version that is not URL-safe is refused'
);
SELECT throws_ok(
    $$UPDATE store.product_images SET content_version = '' WHERE product_id = tests.id('toy')$$,
    '23514', NULL, 'an empty version is refused'
);
SELECT throws_ok(
    $$UPDATE store.product_images SET content_version = NULL WHERE product_id = tests.id('toy')$$,
    '23502', NULL, 'a picture cannot lose its version'
);

SELECT is(
    api.get_product(tests.id('toy')) -> 'images',
    jsonb_build_array(
        jsonb_build_object(
            'url', 'https://img.test.jiokidz.in/front.jpg?v='
            || left(md5('https://img.test.jiokidz.in/front.jpg'), 12),
            'alt', '', 'position', 0
        ),
        jsonb_build_object(
            'url', 'https://img.test.jiokidz.in/side.jpg?w=800&v=sha256-9f86d081',
            'alt', '', 'position', 1
        )
    ),
    'get_product: every picture''s URL carries its version'
);

UPDATE store.product_images SET content_version = 'c0ffee'
WHERE product_id = tests.id('toy') AND position = 0;
SELECT is(
    api.get_product(tests.id('toy')) -> 'images' -> 0 ->> 'url',
    'https://img.test.jiokidz.in/front.jpg?v=c0ffee',
    'new bytes, a new version: get_product shows the new URL'
);
SELECT is(
    api.get_product(tests.id('toy')) ->> 'image_url',
    'https://img.test.jiokidz.in/front.jpg?v=c0ffee',
    'the detail''s thumbnail too'
);
SELECT is(
    tests.item(api.list_products(p_category_id => tests.id('cat')::integer), tests.id('toy'))
    ->> 'image_url',
    'https://img.test.jiokidz.in/front.jpg?v=c0ffee',
    'a list''s thumbnail too'
);
SELECT is(
    internal.product_thumbnail(tests.id('toy')),
    'https://img.test.jiokidz.in/front.jpg?v=c0ffee',
    'the cart''s thumbnail too'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
