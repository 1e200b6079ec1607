-- admin_remove_product_image: the picture goes, the others close up (the next becomes the
-- thumbnail), audited (product.image_remove); an unknown picture JK404 image_not_found.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('product', tests.make_product());
    PERFORM tests.set_id('img0', (SELECT i.id FROM store.product_images AS i WHERE i.product_id = tests.id('product')));
    PERFORM tests.set_id('img1', tests.make_image(tests.id('product'), 1, 'https://img.test/next.jpg'));
    PERFORM tests.set_json('left', api.admin_remove_product_image(tests.id('staff'), tests.id('product'), tests.id('img0')));
END
$$;

SELECT is(
    tests.json('left')
    -> 'images'
    -> 0
    ->> 'id'
    || '@'
    || (tests.json('left') -> 'images' -> 0 ->> 'position'),
    tests.id('img1') || '@0', 'the other picture moved up to 0'
);
SELECT is(
    (
        SELECT s.summary ->> 'image_url' FROM store.product_summaries AS s
        WHERE s.product_id = tests.id('product')
    ),
    store.versioned_image_url('https://img.test/next.jpg', left(md5('https://img.test/next.jpg'), 12)),
    'and is the thumbnail now'
);
SELECT is(
    tests.audit_of('product', tests.id('product')),
    ARRAY[format('product.image_remove:%s:', tests.id('staff'))], 'audited'
);
SELECT throws_ok(
    format(
        'SELECT api.admin_remove_product_image(%s, %s, %s)',
        tests.id('staff'),
        tests.id('product'),
        tests.id('img0')
    ),
    'JK404', 'image_not_found', 'a picture already gone'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
