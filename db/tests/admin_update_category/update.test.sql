-- admin_update_category: only the fields sent change; deactivating hides it from the tree;
-- a parent that is the category or below it is JK422 naming parent_id (the tree never loops);
-- audited with the row before and after (category.update); unknown: JK404.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('top', tests.make_category('Top'));
    PERFORM tests.set_id('child', tests.make_category('Child', tests.id('top')::integer));
    PERFORM tests.set_id('grandchild', tests.make_category('Grandchild', tests.id('child')::integer));
END
$$;

SELECT is(
    tests.pick(
        api.admin_update_category(tests.id('staff'), tests.id('child')::integer, p_name => 'Renamed'),
        ARRAY['name', 'parent_id', 'is_active']
    ),
    jsonb_build_object('name', 'Renamed', 'parent_id', tests.id('top'), 'is_active', TRUE),
    'only the name changed'
);
SELECT is(
    tests.error_of(format(
        'SELECT api.admin_update_category(%s, %s, p_parent_id => %s)',
        tests.id('staff'), tests.id('top'), tests.id('grandchild')
    )) ->> 'column',
    'parent_id', 'a category cannot go below its own descendant'
);
SELECT is(
    tests.error_of(format(
        'SELECT api.admin_update_category(%s, %s, p_parent_id => %2$s)',
        tests.id('staff'), tests.id('child')
    )) ->> 'column',
    'parent_id', 'nor be its own parent'
);
SELECT lives_ok(
    format(
        'SELECT api.admin_update_category(%s, %s, p_is_active => FALSE)', tests.id('staff'), tests.id('top')
    ),
    'deactivated'
);
SELECT ok(
    NOT (
        api.list_categories()::text LIKE '%' || (
            SELECT c.slug FROM store.categories AS c
            WHERE c.id = tests.id('top')
        ) || '%'
    ),
    'the tree no longer shows it'
);
SELECT is(
    (
        SELECT row(a.before ->> 'is_active', a.after ->> 'is_active')::text
        FROM tests.last_audit('category', tests.id('top')) AS a
    ),
    '(true,false)', 'audited with the row before and after'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
