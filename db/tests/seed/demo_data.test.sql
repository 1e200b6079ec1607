-- Demo data (docs/api.md "Demo data"): what db/seed/010_demo_store.sql promises, checked on a
-- freshly seeded database: 200+ active products in 8+ top-level categories with sub-categories,
-- images, age ranges, genders, stock 0..100 with some out of stock and some nearly so, varied
-- listing dates and popularity, and the demo coupons with their exact terms.
BEGIN;

SELECT plan(35);

-- Catalog size and category tree

SELECT cmp_ok(
    (
        SELECT count(*)
        FROM store.products
        WHERE is_active
    ), '>=', 200::bigint,
    'at least 200 active products'
);
SELECT cmp_ok(
    (
        SELECT count(*)
        FROM store.categories
        WHERE parent_id IS NULL AND is_active
    ), '>=', 8::bigint,
    'at least 8 active top-level categories'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.categories AS top
        WHERE
            top.parent_id IS NULL AND top.is_active
            AND NOT EXISTS (
                SELECT FROM store.categories AS sub
                WHERE sub.parent_id = top.id AND sub.is_active
            )
    ),
    0::bigint,
    'every top-level category has an active sub-category'
);
SELECT is(
    (
        WITH RECURSIVE tree AS (
            SELECT
                id AS top_id,
                id
            FROM store.categories
            WHERE parent_id IS NULL AND is_active
            UNION ALL
            SELECT
                tree.top_id,
                child.id
            FROM tree
            INNER JOIN store.categories AS child ON tree.id = child.parent_id
            WHERE child.is_active
        )

        SELECT count(DISTINCT tree.top_id)
        FROM tree
        WHERE NOT EXISTS (
            SELECT FROM tree AS member
            INNER JOIN store.products AS p ON member.id = p.category_id
            WHERE member.top_id = tree.top_id AND p.is_active
        )
    ),
    0::bigint,
    'every top-level category lists active products through its sub-categories'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.categories AS c
        WHERE
            c.is_active
            AND NOT EXISTS (
                SELECT FROM store.categories AS sub
                WHERE sub.parent_id = c.id
            )
            AND NOT EXISTS (
                SELECT FROM store.products AS p
                WHERE p.category_id = c.id AND p.is_active
            )
    ),
    0::bigint,
    'no empty leaf category'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.products AS p
        INNER JOIN store.categories AS c ON p.category_id = c.id
        WHERE p.is_active AND NOT c.is_active
    ),
    0::bigint,
    'no active product sits in an inactive category'
);

-- Products: brands, prices, descriptions

SELECT cmp_ok(
    (
        SELECT count(DISTINCT brand)
        FROM store.products
        WHERE is_active
    ), '>=', 30::bigint,
    'at least 30 brands'
);
SELECT is(
    (
        SELECT coalesce(array_agg(brand.name ORDER BY brand.name), '{}')
        FROM
            unnest(ARRAY[
                'LEGO', 'Funskool', 'Hamleys', 'Mee Mee', 'Chicco', 'Himalaya BabyCare', 'Fisher-Price',
                'Hot Wheels', 'Barbie', 'Navneet', 'Classmate', 'Mothercare', 'Babyhug'
            ]) AS brand (name)
        WHERE NOT EXISTS (
            SELECT FROM store.products AS p
            WHERE p.brand = brand.name AND p.is_active
        )
    ),
    '{}'::text[],
    'the well-known Indian kids'' brands are all stocked'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.products
        WHERE price NOT BETWEEN 9900 AND 1500000
    ),
    0::bigint,
    'every price is between Rs 99 and Rs 15,000 (in paise)'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.products
        WHERE mrp < price
    ),
    0::bigint,
    'mrp is never below the price'
);
SELECT cmp_ok(
    (
        SELECT count(*)
        FROM store.products
        WHERE mrp > price
    ), '>=', 50::bigint,
    'many products are discounted below their mrp'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.products
        WHERE char_length(description) < 60
    ),
    0::bigint,
    'every product has a real description'
);
SELECT is(
    (SELECT count(DISTINCT description) FROM store.products),
    (SELECT count(*) FROM store.products),
    'no two products share a description'
);

-- Images, ages, genders

SELECT is(
    (
        SELECT count(*)
        FROM store.products AS p
        WHERE
            p.is_active
            AND NOT EXISTS (
                SELECT FROM store.product_images AS img
                WHERE img.product_id = p.id AND img.position = 0
            )
    ),
    0::bigint,
    'every active product has a thumbnail (image at position 0)'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.product_images AS img
        INNER JOIN store.products AS p ON img.product_id = p.id
        WHERE
            img.url !~ ('^https://img\.jiokidz\.example/products/' || p.slug || '/[0-9]+\.jpg$')
            OR btrim(img.alt) = ''
    ),
    0::bigint,
    'image urls are https on img.jiokidz.example under the product slug, with alt text'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.products
        WHERE NOT (age_min_months BETWEEN 0 AND 216 AND age_max_months BETWEEN age_min_months AND 216)
    ),
    0::bigint,
    'every age range lies within 0..216 months'
);
SELECT cmp_ok(
    (SELECT count(DISTINCT ARRAY[age_min_months, age_max_months]) FROM store.products), '>=', 15::bigint,
    'age ranges vary'
);
SELECT ok(
    (
        SELECT count(*) FILTER (WHERE gender = 'unisex') > count(*) / 2
        FROM store.products
        WHERE is_active
    ),
    'most products are unisex'
);
SELECT is(
    (
        SELECT array_agg(DISTINCT gender ORDER BY gender)
        FROM store.products
        WHERE is_active
    ),
    ARRAY['boy', 'girl', 'unisex'],
    'products for boys, for girls and unisex'
);

-- Stock

SELECT is(
    (
        SELECT count(*)
        FROM store.products AS p
        WHERE p.is_active AND NOT EXISTS (
            SELECT FROM store.inventory AS i
            WHERE i.product_id = p.id
        )
    ),
    0::bigint,
    'every active product has an inventory row'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.inventory
        WHERE on_hand NOT BETWEEN 0 AND 100
    ),
    0::bigint,
    'stock on hand is between 0 and 100'
);
SELECT cmp_ok(
    (
        SELECT count(*)
        FROM store.inventory
        WHERE on_hand = 0
    ), '>=', 10::bigint,
    'at least 10 products are out of stock'
);
SELECT cmp_ok(
    (
        SELECT count(*)
        FROM store.inventory
        WHERE on_hand BETWEEN 1 AND 4
    ), '>=', 10::bigint,
    'at least 10 products have fewer than 5 left'
);

-- Newest and popularity sorts have something to sort

SELECT ok(
    (
        SELECT
            max(created_at) <= now()
            AND max(created_at) - min(created_at) BETWEEN interval '300 days' AND interval '366 days'
        FROM store.products
    ),
    'listing dates spread over a year, none in the future'
);
SELECT cmp_ok(
    (SELECT count(DISTINCT created_at::date) FROM store.products), '>=', 100::bigint,
    'products were listed on many different days'
);
SELECT cmp_ok(
    (SELECT count(DISTINCT sales_count) FROM store.products), '>=', 100::bigint,
    'popularity (sales_count) varies'
);

-- Coupons

SELECT results_eq(
    $$
    SELECT
        code, discount_type, discount_value, max_discount, min_order_value, usage_limit,
        per_user_limit, is_active
    FROM store.coupons
    WHERE code IN ('WELCOME10', 'FLAT100', 'LIMITED5', 'EXPIRED20')
    ORDER BY code
    $$,
    $$
    VALUES
    ('EXPIRED20'::text, 'percentage'::text, 20::bigint, 50000::bigint, 0::bigint, NULL::integer,
        NULL::integer, TRUE),
    ('FLAT100', 'flat', 10000, NULL, 99900, NULL, NULL, TRUE),
    ('LIMITED5', 'flat', 5000, NULL, 0, 5, NULL, TRUE),
    ('WELCOME10', 'percentage', 10, 20000, 0, NULL, 1, TRUE)
    $$,
    'WELCOME10, FLAT100, LIMITED5 and EXPIRED20 have their promised terms'
);
SELECT ok(
    (
        SELECT description LIKE '%10\%%' AND description LIKE '%₹200%' AND description ILIKE '%once per user%'
        FROM store.coupons
        WHERE code = 'WELCOME10'
    ),
    'WELCOME10 says 10% off up to ₹200, once per user'
);
SELECT ok(
    (
        SELECT valid_from < valid_until AND valid_until < now()
        FROM store.coupons
        WHERE code = 'EXPIRED20'
    ),
    'EXPIRED20 is valid only in the past: it is expired'
);
SELECT is(
    (
        SELECT count(*)
        FROM store.coupons
        WHERE
            code <> 'EXPIRED20'
            AND (NOT is_active OR valid_from > now() OR valid_until <= now())
    ),
    0::bigint,
    'every other coupon is active and valid now'
);
SELECT cmp_ok(
    (
        SELECT count(*)
        FROM store.coupons
        WHERE code IN ('WELCOME10', 'FLAT100', 'LIMITED5')
    ),
    '=',
    3::bigint,
    'the three live demo coupons exist'
);

-- The API sees the demo store

SELECT cmp_ok(
    (api.list_products() ->> 'total')::bigint, '>=', 200::bigint,
    'GET /products lists at least 200 products'
);
SELECT cmp_ok(
    (api.list_products(p_q => 'lego') ->> 'total')::bigint, '>=', 5::bigint,
    'searching for lego finds LEGO sets'
);
SELECT cmp_ok(
    (api.list_products(p_q => 'diwali') ->> 'total')::bigint, '>', 0::bigint,
    'search reaches words that appear only in descriptions'
);
SELECT cmp_ok(
    (
        SELECT count(*)
        FROM jsonb_array_elements(api.list_categories() -> 'items') AS item
        WHERE item -> 'parent_id' = 'null'::jsonb AND (item ->> 'product_count')::bigint > 0
    ),
    '>=',
    8::bigint,
    'GET /products/categories/ shows at least 8 top-level categories with products'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
