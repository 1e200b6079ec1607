-- admin_update_product: only the fields sent change; the whole row is validated again (a price
-- above the mrp names mrp); is_active false takes the product off the catalog, true puts it
-- back; each change is audited with the row before and after (product.update), a change to
-- nothing is not; an unknown product is JK404 product_not_found; a taken slug JK409.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('product', tests.make_product(p_price => 50000, p_mrp => 60000));
    PERFORM tests.set_id('other', tests.make_product());
    PERFORM tests.set_json('updated', api.admin_update_product(tests.id('staff'), tests.id('product'), p_price => 45000));
END
$$;

SELECT is(
    tests.pick(tests.json('updated'), ARRAY['price', 'mrp', 'name', 'is_active']),
    '{"price": 45000, "mrp": 60000, "name": "Test product", "is_active": true}'::jsonb,
    'only the price changed'
);
SELECT is(
    (api.get_product(tests.id('product')) ->> 'price')::bigint, 45000::bigint,
    'customers see the new price'
);
SELECT is(
    (
        SELECT row(a.action, a.before ->> 'price', a.after ->> 'price', a.after ->> 'mrp')::text
        FROM store.staff_audit AS a
        WHERE a.entity_type = 'product' AND a.entity_id = tests.id('product')
    ),
    '(product.update,50000,45000,60000)', 'audited with the row before and after'
);
SELECT is(
    tests.error_of(format(
        'SELECT api.admin_update_product(%s, %s, p_price => 70000)',
        tests.id('staff'), tests.id('product')
    )) ->> 'column',
    'mrp', 'a price above the current mrp is refused, naming mrp'
);
SELECT is(
    api.admin_update_product(tests.id('staff'), tests.id('product'), p_is_active => FALSE) ->> 'is_active',
    'false', 'deactivated'
);
SELECT throws_ok(
    format('SELECT api.get_product(%s)', tests.id('product')),
    'JK404', 'product_not_found', 'a deactivated product is off the catalog'
);
SELECT is(
    (
        api.admin_update_product(tests.id('staff'), tests.id('product'), p_is_active => TRUE) ->> 'is_active',
        api.admin_update_product(tests.id('staff'), tests.id('product'), p_is_active => TRUE) ->> 'is_active',
        tests.audit_of('product', tests.id('product'))
    )::text,
    format(
        '(true,true,"{product.update:%1$s:,product.update:%1$s:,product.update:%1$s:}")', tests.id('staff')
    ),
    'reactivated; sending what is already there writes no audit entry'
);
SELECT throws_ok(
    format('SELECT api.admin_update_product(%s, 999999999, p_price => 1)', tests.id('staff')),
    'JK404', 'product_not_found', 'an unknown product'
);
SELECT throws_ok(
    format(
        'SELECT api.admin_update_product(%s, %s, p_slug => %L)', tests.id('staff'), tests.id('product'),
        (
            SELECT p.slug FROM store.products AS p
            WHERE p.id = tests.id('other')
        )
    ),
    'JK409', 'product_slug_taken', 'another product''s slug'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
