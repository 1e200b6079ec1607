-- admin_create_category: top level or under a parent, listed at once, audited
-- (category.create); a taken slug JK409 category_slug_taken, an unknown parent JK404
-- category_not_found, a blank name JK422 naming name.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('parent', tests.make_category());
    PERFORM tests.set_value('slug', tests.new_slug('wooden'));
    PERFORM tests.set_json('created', api.admin_create_category(
        tests.id('staff'), 'Wooden', tests.value('slug'), tests.id('parent')::integer, 3
    ));
END
$$;

SELECT is(
    tests.json('created') - 'id' - 'created_at',
    jsonb_build_object(
        'parent_id', tests.id('parent'), 'name', 'Wooden', 'slug', tests.value('slug'),
        'position', 3, 'is_active', TRUE
    ),
    'the category'
);
SELECT is(
    tests.audit_of('category', (tests.json('created') ->> 'id')::bigint),
    ARRAY[format('category.create:%s:', tests.id('staff'))], 'audited'
);
SELECT throws_ok(
    format($$SELECT api.admin_create_category(%s, 'Again', %L)$$, tests.id('staff'), tests.value('slug')),
    'JK409', 'category_slug_taken', 'a taken slug'
);
SELECT throws_ok(
    format(
        $$SELECT api.admin_create_category(%s, 'Orphan', %L, 999999)$$, tests.id('staff'), tests.new_slug()
    ),
    'JK404', 'category_not_found', 'an unknown parent'
);
SELECT is(
    tests.error_of(
        format($$SELECT api.admin_create_category(%s, '  ', %L)$$, tests.id('staff'), tests.new_slug())
    )
    ->> 'column',
    'name', 'a blank name names name'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
