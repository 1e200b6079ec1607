-- update_address: replaces every field (an optional line left out becomes empty), answers the
-- address, and moves the default only when asked; an order keeps the copy it was placed with.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('home', tests.new_address(tests.id('user'), 'Home'));
    PERFORM tests.set_id('office', tests.new_address(tests.id('user'), 'Office'));
    -- An order placed with the office address keeps a copy of it.
    INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at)
    SELECT a.user_id, a.id, internal.address_json(a), 0, 0, now() + interval '15 minutes'
    FROM store.addresses AS a WHERE a.id = tests.id('office');
    PERFORM tests.set_json('snapshot', internal.address_json(tests.address_row(tests.id('office'))));
    UPDATE store.addresses SET updated_at = now() - interval '1 day' WHERE id = tests.id('office');
    PERFORM tests.set_json('answer', api.update_address(
        tests.id('user'), tests.id('office'), ' New Office ', '+919812345678', '5 Park Street',
        'Kolkata', 'west bengal', '700016', p_is_default => NULL
    ));
END
$$;

SELECT is(
    tests.json('answer'),
    jsonb_build_object(
        'id', tests.id('office'), 'name', 'New Office', 'phone', '+919812345678',
        'line1', '5 Park Street', 'line2', NULL, 'landmark', NULL, 'city', 'Kolkata',
        'state', 'West Bengal', 'pincode', '700016', 'is_default', FALSE
    ),
    'every field is replaced; line2 and landmark left out become empty'
);
SELECT is(
    internal.address_json(tests.address_row(tests.id('office'))), tests.json('answer'),
    'the answer is the stored row'
);
SELECT cmp_ok(
    (tests.address_row(tests.id('office'))).updated_at, '>', now() - interval '1 minute',
    'updated_at moves'
);
SELECT is(
    (
        SELECT o.address FROM store.orders AS o
        WHERE o.user_id = tests.id('user')
    ),
    tests.json('snapshot'),
    'the order still shows the address as it was when ordered'
);
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{home}'),
    'is_default not given: the default stays where it was'
);

DO $$
BEGIN
    PERFORM api.update_address(
        tests.id('user'), tests.id('office'), 'Office', '9812345678', '5 Park Street', 'Kolkata',
        'West Bengal', '700016', p_is_default => TRUE
    );
END
$$;
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{office}'),
    'is_default true moves the default to this address'
);

DO $$
BEGIN
    PERFORM api.update_address(
        tests.id('user'), tests.id('office'), 'Office', '9812345678', '5 Park Street', 'Kolkata',
        'West Bengal', '700016', p_is_default => FALSE
    );
END
$$;
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{office}'),
    'is_default false on the default keeps it the default (a user always has one)'
);

DO $$
BEGIN
    PERFORM api.update_address(
        tests.id('user'), tests.id('office'), 'Office', '9812345678', '5 Park Street', 'Kolkata',
        'West Bengal', '700016', p_is_default => TRUE
    );
END
$$;
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{office}'),
    'is_default true on the default changes nothing'
);
SELECT is(
    (tests.address_row(tests.id('home'))).name, 'Home', 'the other address is untouched'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
