-- category_subtree: a category and all its active descendants, each once; an inactive category
-- prunes its whole branch; unknown and inactive roots give nothing.
BEGIN;

SELECT plan(9);

-- root ── child ── grandchild
--      ├─ child2
--      └─ hidden (inactive) ── under_hidden (active)
-- other (top level)
DO $$
BEGIN
    PERFORM tests.set_id('root', tests.make_category('Subtree root'));
    PERFORM tests.set_id('child', tests.make_category('Child', tests.id('root')::integer));
    PERFORM tests.set_id('grandchild', tests.make_category('Grandchild', tests.id('child')::integer));
    PERFORM tests.set_id('child2', tests.make_category('Child two', tests.id('root')::integer));
    PERFORM tests.set_id(
        'hidden', tests.make_category('Hidden', tests.id('root')::integer, p_is_active => FALSE)
    );
    PERFORM tests.set_id(
        'under_hidden', tests.make_category('Under hidden', tests.id('hidden')::integer)
    );
    PERFORM tests.set_id('other', tests.make_category('Other'));
END
$$;

SELECT is(
    tests.sorted_ids(array(SELECT internal.category_subtree(tests.id('root')::integer))::bigint[]),
    tests.sorted_ids(tests.ids('{root,child,grandchild,child2}')),
    'the root, its children and its grandchild; not the inactive branch'
);
SELECT is(
    tests.sorted_ids(array(SELECT internal.category_subtree(tests.id('child')::integer))::bigint[]),
    tests.sorted_ids(tests.ids('{child,grandchild}')),
    'a child and its own descendants only, not its sibling or parent'
);
SELECT is(
    tests.sorted_ids(array(SELECT internal.category_subtree(tests.id('grandchild')::integer))::bigint[]),
    tests.ids('{grandchild}'),
    'a leaf is its own subtree'
);
SELECT is(
    cardinality(array(SELECT internal.category_subtree(tests.id('root')::integer))), 4,
    'each category appears once'
);
SELECT is(
    cardinality(array(SELECT internal.category_subtree(tests.id('hidden')::integer))), 0,
    'an inactive category has an empty subtree'
);
SELECT is(
    tests.sorted_ids(array(SELECT internal.category_subtree(tests.id('under_hidden')::integer))::bigint[]),
    tests.ids('{under_hidden}'),
    'an active category under an inactive one is still its own subtree'
);
SELECT is(
    cardinality(array(SELECT internal.category_subtree(tests.id('other')::integer))), 1,
    'an unrelated top-level category holds only itself'
);
SELECT is(
    cardinality(array(
        SELECT internal.category_subtree((SELECT max(c.id) + 1000 FROM store.categories AS c))
    )),
    0,
    'an unknown category has an empty subtree'
);
SELECT is(
    cardinality(array(SELECT internal.category_subtree(NULL))), 0,
    'NULL has an empty subtree'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
