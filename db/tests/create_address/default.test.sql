-- create_address: stores the checked fields and answers the address; the first live address is
-- the default whatever is_default says; is_default true moves the default; there is always
-- exactly one.
BEGIN;

SELECT plan(11);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_json('answer', api.create_address(
        tests.id('user'), ' Asha Rao ', '9876543210', '12 MG Road', 'Bengaluru', 'karnataka', '560001',
        p_line2 => '  ', p_landmark => 'Near the metro', p_is_default => NULL
    ));
    PERFORM tests.set_id('first', (tests.json('answer') ->> 'id')::bigint);
END
$$;

SELECT is(
    tests.json('answer'),
    jsonb_build_object(
        'id', tests.id('first'), 'name', 'Asha Rao', 'phone', '+919876543210', 'line1', '12 MG Road',
        'line2', NULL, 'landmark', 'Near the metro', 'city', 'Bengaluru', 'state', 'Karnataka',
        'pincode', '560001', 'is_default', TRUE
    ),
    'the answer is the stored address, normalised'
);
SELECT is(
    internal.address_json(tests.address_row(tests.id('first'))), tests.json('answer'),
    'the answer matches the row'
);
SELECT is(
    (tests.address_row(tests.id('first'))).user_id, tests.id('user'), 'the address belongs to the user'
);
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{first}'),
    'the first address becomes the default (is_default not given)'
);

DO $$
BEGIN
    PERFORM tests.set_id('second', tests.new_address(tests.id('user'), p_is_default => FALSE));
END
$$;
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{first}'),
    'is_default false: the default stays where it was'
);

DO $$
BEGIN
    PERFORM tests.set_id('third', tests.new_address(tests.id('user'), p_is_default => TRUE));
END
$$;
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{third}'),
    'is_default true: the new address is the only default'
);
SELECT is(
    (tests.address_row(tests.id('first'))).is_default, FALSE, 'the old default is no longer one'
);

DO $$
BEGIN
    PERFORM tests.set_id('fresh', tests.make_user());
    PERFORM tests.set_id('deleted', tests.new_address(tests.id('fresh')));
    UPDATE store.addresses SET deleted_at = now(), is_default = FALSE WHERE id = tests.id('deleted');
    PERFORM tests.set_id('after_delete', tests.new_address(tests.id('fresh'), p_is_default => FALSE));
END
$$;
SELECT is(
    tests.default_address_ids(tests.id('fresh')), tests.ids('{after_delete}'),
    'a user whose addresses are all deleted: the new one is the first live one, so the default'
);

DO $$
BEGIN
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('others', tests.new_address(tests.id('other')));
END
$$;
DO $$ BEGIN PERFORM tests.new_address(tests.id('user'), p_is_default => TRUE); END $$;
SELECT is(
    tests.default_address_ids(tests.id('other')), tests.ids('{others}'),
    'moving one user''s default leaves another user''s alone'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.addresses
        WHERE user_id = tests.id('user')
    ), 4,
    'every address was stored'
);
SELECT is(
    cardinality(tests.default_address_ids(tests.id('user'))), 1, 'still exactly one default'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
