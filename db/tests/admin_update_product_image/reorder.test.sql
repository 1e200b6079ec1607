-- admin_update_product_image: position moves a picture (the others keep their order, numbered
-- 0, 1, 2...), past the end means last; alt changes the text; audited (product.image_update);
-- a picture of another product is JK404 image_not_found.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('product', tests.make_product(p_stock => 1));
    PERFORM tests.set_id('img0', (SELECT i.id FROM store.product_images AS i WHERE i.product_id = tests.id('product')));
    PERFORM tests.set_id('img1', tests.make_image(tests.id('product'), 1, p_alt => 'one'));
    PERFORM tests.set_id('img2', tests.make_image(tests.id('product'), 5, p_alt => 'two'));  -- a gap
    PERFORM tests.set_id('elsewhere', tests.make_product());
END
$$;

CREATE FUNCTION pg_temp.order_of(p_product_id bigint)
RETURNS text
LANGUAGE sql
AS $$
    SELECT string_agg(i.id::text || '@' || i.position, ' ' ORDER BY i.position)
    FROM store.product_images AS i WHERE i.product_id = p_product_id
$$;

SELECT lives_ok(
    format(
        'SELECT api.admin_update_product_image(%s, %s, %s, p_position => 0)',
        tests.id('staff'), tests.id('product'), tests.id('img2')
    ),
    'the last picture moved first'
);
SELECT is(
    pg_temp.order_of(tests.id('product')),
    format('%s@0 %s@1 %s@2', tests.id('img2'), tests.id('img0'), tests.id('img1')),
    'the others keep their order, numbered 0, 1, 2'
);
SELECT is(
    (
        api.admin_update_product_image(tests.id('staff'), tests.id('product'), tests.id('img2'), 'first', 99)
        -> 'images' -> 2 ->> 'alt',
        pg_temp.order_of(tests.id('product'))
    )::text,
    format('(first,"%s@0 %s@1 %s@2")', tests.id('img0'), tests.id('img1'), tests.id('img2')),
    'past the end is last; the alt text changed'
);
SELECT is(
    tests.audit_of('product', tests.id('product')),
    ARRAY[
        format('product.image_update:%s:', tests.id('staff')),
        format('product.image_update:%s:', tests.id('staff'))
    ],
    'each change audited'
);
SELECT throws_ok(
    format(
        'SELECT api.admin_update_product_image(%s, %s, %s, p_position => 0)',
        tests.id('staff'), tests.id('elsewhere'), tests.id('img1')
    ),
    'JK404', 'image_not_found', 'a picture of another product'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
