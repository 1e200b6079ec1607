-- store.product_summaries holds each product's summary but in_stock, kept by the database: it
-- follows every edit of a listed column and of the product's pictures (added, moved, changed,
-- given a new content version, removed, truncated), is not rewritten by a sale or a
-- description edit, and goes with the product. Compared with the summary built from the
-- product's row and pictures now.
BEGIN;

SELECT plan(13);

-- What the summary must be: the product's columns and its first picture, read now.
CREATE FUNCTION pg_temp.expected(p_key text)
RETURNS jsonb
LANGUAGE sql
AS $$
    SELECT tests.summary_from_rows(tests.id(p_key))
$$;

CREATE FUNCTION pg_temp.stored(p_key text)
RETURNS jsonb
LANGUAGE sql
AS $$
    SELECT s.summary FROM store.product_summaries AS s WHERE s.product_id = tests.id(p_key)
$$;

DO $$
BEGIN
    PERFORM tests.set_id('toy', tests.make_product(p_name => 'Wooden Train', p_price => 49900,
        p_mrp => 59900, p_age_min => 24, p_age_max => 72, p_gender => 'boy'));
    PERFORM tests.set_id('other', tests.make_product(p_name => 'Rattle'));
END
$$;

SELECT is(pg_temp.stored('toy'), pg_temp.expected('toy'), 'a new product: its summary, thumbnail included');
SELECT ok(NOT pg_temp.stored('toy') ? 'in_stock', 'in_stock is not stored (it is read at call time)');

UPDATE store.products
SET
    name = 'Wooden Train II', brand = 'Woodies', price = 45900, age_max_months = 96, gender = 'unisex',
    category_id = tests.make_category('Moved here')
WHERE id = tests.id('toy');
SELECT is(pg_temp.stored('toy'), pg_temp.expected('toy'), 'the listed columns edited: followed');

CREATE TEMPORARY TABLE before_sale ON COMMIT DROP AS
SELECT
    s.product_id,
    s.xmin::text AS version
FROM store.product_summaries AS s;
UPDATE store.products SET sales_count = sales_count + 1, description = 'Now with more track'
WHERE id = tests.id('toy');
SELECT is(
    (
        SELECT s.xmin::text FROM store.product_summaries AS s
        WHERE s.product_id = tests.id('toy')
    ),
    (
        SELECT b.version FROM before_sale AS b
        WHERE b.product_id = tests.id('toy')
    ),
    'a sale or a description edit does not rewrite the summary'
);

DO $$ BEGIN PERFORM tests.make_image(tests.id('toy'), 5, 'https://img.test.jiokidz.in/later.jpg'); END $$;
UPDATE store.product_images SET content_version = 'later1'
WHERE url = 'https://img.test.jiokidz.in/later.jpg';
SELECT is(pg_temp.stored('toy'), pg_temp.expected('toy'), 'a later picture added: the thumbnail stays');

UPDATE store.product_images SET position = 9
WHERE product_id = tests.id('toy') AND position = 0;
SELECT is(
    pg_temp.stored('toy') ->> 'image_url', 'https://img.test.jiokidz.in/later.jpg?v=later1',
    'the first picture moved behind another: that one is the thumbnail'
);

UPDATE store.product_images SET url = 'https://img.test.jiokidz.in/later-v2.jpg'
WHERE url = 'https://img.test.jiokidz.in/later.jpg';
SELECT is(pg_temp.stored('toy'), pg_temp.expected('toy'), 'the thumbnail''s URL changed: followed');

UPDATE store.product_images SET content_version = 'later2'
WHERE url = 'https://img.test.jiokidz.in/later-v2.jpg';
SELECT is(
    pg_temp.stored('toy') ->> 'image_url', 'https://img.test.jiokidz.in/later-v2.jpg?v=later2',
    'the thumbnail''s content version changed: followed'
);

UPDATE store.product_images SET product_id = tests.id('other'), position = 7
WHERE url = 'https://img.test.jiokidz.in/later-v2.jpg';
SELECT is(
    ARRAY[pg_temp.stored('toy'), pg_temp.stored('other')],
    ARRAY[pg_temp.expected('toy'), pg_temp.expected('other')],
    'a picture moved to another product: both summaries follow'
);

DELETE FROM store.product_images
WHERE product_id = tests.id('toy');
SELECT is(pg_temp.stored('toy') -> 'image_url', 'null'::jsonb, 'no pictures left: image_url is null');

TRUNCATE store.product_images;
SELECT is(pg_temp.stored('other') -> 'image_url', 'null'::jsonb, 'pictures truncated: image_url is null');

DELETE FROM store.inventory
WHERE product_id = tests.id('toy');
DELETE FROM store.products
WHERE id = tests.id('toy');
SELECT is(
    (
        SELECT count(*) FROM store.product_summaries AS s
        WHERE s.product_id = tests.id('toy')
    ), 0::bigint,
    'a deleted product''s summary goes with it'
);

SELECT is(
    (
        SELECT count(*) FROM store.products AS p
        LEFT JOIN store.product_summaries AS s ON p.id = s.product_id
        WHERE s.product_id IS NULL
    ),
    0::bigint,
    'every product has a summary (the demo catalog included)'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
