-- admin_add_product_image: a picture goes last, or at the position asked, the others moving
-- down; positions stay 0, 1, 2...; the product's list thumbnail follows position 0; audited
-- with the pictures before and after; only https URLs; an unknown product JK404.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('product', tests.make_product());  -- one picture, at 0
    PERFORM api.admin_add_product_image(tests.id('staff'), tests.id('product'), 'https://img.test/b.jpg', 'B');
    PERFORM tests.set_json('added', api.admin_add_product_image(
        tests.id('staff'), tests.id('product'), 'https://img.test/a.jpg', 'A', 0
    ));
END
$$;

SELECT is(
    (
        SELECT array_agg(i ->> 'alt' || '@' || (i ->> 'position'))
        FROM jsonb_array_elements(tests.json('added') -> 'images') AS i
    ),
    ARRAY['A@0', 'Test product, picture 1@1', 'B@2'],
    'the new picture first, the others moved down, numbered 0, 1, 2'
);
SELECT is(
    (
        SELECT s.summary ->> 'image_url' FROM store.product_summaries AS s
        WHERE s.product_id = tests.id('product')
    ),
    store.versioned_image_url('https://img.test/a.jpg', left(md5('https://img.test/a.jpg'), 12)),
    'the list thumbnail is the new first picture'
);
SELECT is(
    (
        SELECT jsonb_array_length(i.before) || ',' || jsonb_array_length(i.after)
        FROM tests.last_audit('product', tests.id('product')) AS i
    ),
    '2,3', 'audited with the pictures before and after'
);
SELECT is(
    (tests.last_audit('product', tests.id('product'))).action, 'product.image_add', 'as product.image_add'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_add_product_image(%s, %s, 'http://img.test/c.jpg')$$,
        tests.id('staff'), tests.id('product')
    )) ->> 'column',
    'url', 'http is refused, naming url'
);
SELECT throws_ok(
    format(
        $$SELECT api.admin_add_product_image(%s, 999999999, 'https://img.test/c.jpg')$$, tests.id('staff')
    ),
    'JK404', 'product_not_found', 'an unknown product'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
