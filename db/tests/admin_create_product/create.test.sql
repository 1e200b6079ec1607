-- admin_create_product: a product with its HSN code and GST rate, 0 units on hand, mrp
-- defaulting to the price; listed at once; audited (product.create, no before); validation
-- errors name the field (JK422), an unknown category is JK404 category_not_found, a taken slug
-- JK409 product_slug_taken.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('category', tests.make_category());
    PERFORM tests.set_value('slug', tests.new_slug('Admin train'));
    PERFORM tests.set_json('created', api.admin_create_product(
        tests.id('staff'), tests.id('category')::integer, '  Admin Train  ', tests.value('slug'),
        'Funskool', 129900, '950300', 12, p_description => 'Six wagons'
    ));
END
$$;

SELECT is(
    tests.json('created') - 'id' - 'created_at' - 'updated_at',
    jsonb_build_object(
        'category_id', tests.id('category'), 'name', 'Admin Train', 'slug', tests.value('slug'),
        'brand', 'Funskool', 'description', 'Six wagons', 'price', 129900, 'mrp', 129900,
        'age_min_months', 0, 'age_max_months', 216, 'gender', 'unisex', 'hsn_code', '950300',
        'gst_rate', 12, 'is_active', TRUE, 'on_hand', 0, 'reserved', 0, 'available', 0,
        'images', '[]'::jsonb
    ),
    'the product, trimmed, mrp = price, no stock, no pictures'
);
SELECT is(
    api.get_product((tests.json('created') ->> 'id')::bigint) ->> 'name', 'Admin Train',
    'customers see it at once'
);
SELECT is(
    (
        SELECT row(a.action, a.staff_user_id = tests.id('staff'), a.before IS NULL, a.after ->> 'slug')::text
        FROM store.staff_audit AS a
        WHERE a.entity_type = 'product' AND a.entity_id = (tests.json('created') ->> 'id')::bigint
    ),
    format('(product.create,t,t,%s)', tests.value('slug')),
    'audited: who, what, no before, the row after'
);
SELECT throws_ok(
    format(
        $$SELECT api.admin_create_product(%s, %s, 'X', %L, 'B', 100, '9503', 5)$$,
        tests.id('staff'), tests.id('category'), tests.value('slug')
    ),
    'JK409', 'product_slug_taken', 'a slug already taken'
);
SELECT throws_ok(
    format(
        $$SELECT api.admin_create_product(%s, 999999, 'X', %L, 'B', 100, '9503', 5)$$,
        tests.id('staff'), tests.new_slug()
    ),
    'JK404', 'category_not_found', 'an unknown category'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_product(%s, %s, 'X', %L, 'B', 100, '9503', 7)$$,
        tests.id('staff'), tests.id('category'), tests.new_slug()
    )) ->> 'column',
    'gst_rate', 'a GST rate other than 0, 5, 12, 18 names gst_rate'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_product(%s, %s, 'X', %L, 'B', 100, '95', 5)$$,
        tests.id('staff'), tests.id('category'), tests.new_slug()
    )) ->> 'column',
    'hsn_code', 'an HSN code of 2 digits names hsn_code'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_product(%s, %s, 'X', %L, 'B', 100, '9503', 5, p_mrp => 99)$$,
        tests.id('staff'), tests.id('category'), tests.new_slug()
    )) ->> 'column',
    'mrp', 'an mrp below the price names mrp'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_product(%s, %s, 'X', 'Not A Slug', 'B', 100, '9503', 5)$$,
        tests.id('staff'), tests.id('category')
    )) ->> 'column',
    'slug', 'a malformed slug names slug'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_product(%s, %s, 'X', %L, 'B', 100, '9503', 5,
            p_age_min_months => 40, p_age_max_months => 30)$$,
        tests.id('staff'), tests.id('category'), tests.new_slug()
    )) ->> 'column',
    'age_max_months', 'an age range upside down names age_max_months'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
