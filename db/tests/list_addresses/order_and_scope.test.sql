-- list_addresses: the user's live addresses only (not deleted ones, not another user's), the
-- default first, then the newest; every field of the contract. JK401 for a closed account.
BEGIN;

SELECT plan(6);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('first', tests.new_address(tests.id('user'), 'First'));
    PERFORM tests.set_id('second', tests.new_address(tests.id('user'), 'Second'));
    PERFORM tests.set_id('third', tests.new_address(tests.id('user'), 'Third'));
    PERFORM tests.set_id('gone', tests.new_address(tests.id('user'), 'Gone'));
    UPDATE store.addresses SET deleted_at = now() WHERE id = tests.id('gone');
    -- Same creation time for second and third: the higher id counts as newer.
    UPDATE store.addresses SET created_at = created_at - interval '1 hour'
    WHERE id IN (tests.id('second'), tests.id('third'));
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.new_address(tests.id('other'), 'Not yours');
    PERFORM tests.set_id('empty', tests.make_user());
END
$$;

SELECT is(
    tests.item_ids(api.list_addresses(tests.id('user'))),
    tests.ids('{first,third,second}'),
    'the default (the first added) first, then the newest; deleted and other users'' left out'
);
SELECT is(
    tests.item(api.list_addresses(tests.id('user')), tests.id('first')),
    jsonb_build_object(
        'id', tests.id('first'), 'name', 'First', 'phone', '+919876543210', 'line1', '12 MG Road',
        'line2', 'Indiranagar', 'landmark', 'Near the metro', 'city', 'Bengaluru',
        'state', 'Karnataka', 'pincode', '560001', 'is_default', TRUE
    ),
    'an item has exactly the fields of the contract'
);
SELECT is(
    (tests.item(api.list_addresses(tests.id('user')), tests.id('second')) -> 'is_default'),
    'false'::jsonb,
    'the others are not default'
);
SELECT is(api.list_addresses(tests.id('empty')), '{"items": []}'::jsonb, 'no address: an empty list');
SELECT throws_ok(
    format(
        $$SELECT api.list_addresses(%s)$$,
        tests.make_user(p_deleted_at => now())
    ),
    'JK401', 'unauthorized', 'a closed account is unauthorized'
);
SELECT throws_ok(
    $$SELECT api.list_addresses(NULL)$$, 'JK401', 'unauthorized', 'no user is unauthorized'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
