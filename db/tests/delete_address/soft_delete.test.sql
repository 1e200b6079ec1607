-- delete_address: soft delete (the row stays, with deleted_at, for the orders that used it);
-- deleting the default promotes the most recently created remaining address; the answer is
-- the remaining list.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('oldest', tests.new_address(tests.id('user'), 'Oldest'));
    PERFORM tests.set_id('newest', tests.new_address(tests.id('user'), 'Newest'));
    PERFORM tests.set_id('middle', tests.new_address(tests.id('user'), 'Middle', p_is_default => TRUE));
    UPDATE store.addresses SET created_at = now() - interval '3 days' WHERE id = tests.id('oldest');
    UPDATE store.addresses SET created_at = now() - interval '2 days' WHERE id = tests.id('middle');
    UPDATE store.addresses SET created_at = now() - interval '1 day' WHERE id = tests.id('newest');
    INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at)
    SELECT a.user_id, a.id, internal.address_json(a), 0, 0, now() + interval '15 minutes'
    FROM store.addresses AS a WHERE a.id = tests.id('middle');
    PERFORM tests.set_json('answer', api.delete_address(tests.id('user'), tests.id('middle')));
END
$$;

SELECT is(
    tests.json('answer'), api.list_addresses(tests.id('user')), 'the answer is the remaining list'
);
SELECT is(
    tests.item_ids(tests.json('answer')), tests.ids('{newest,oldest}'),
    'the deleted address is no longer listed'
);
SELECT isnt((tests.address_row(tests.id('middle'))).deleted_at, NULL, 'the row stays, marked deleted');
SELECT is((tests.address_row(tests.id('middle'))).is_default, FALSE, 'a deleted address is not a default');
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{newest}'),
    'deleting the default promotes the most recently created remaining address'
);
SELECT is(
    (
        SELECT o.address ->> 'name' FROM store.orders AS o
        WHERE o.user_id = tests.id('user')
    ), 'Middle',
    'the order still shows the deleted address'
);

DO $$ BEGIN PERFORM api.delete_address(tests.id('user'), tests.id('oldest')); END $$;
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{newest}'),
    'deleting another address leaves the default alone'
);

DO $$
BEGIN
    PERFORM tests.set_json('answer', api.delete_address(tests.id('user'), tests.id('newest')));
END
$$;
SELECT is(tests.json('answer'), '{"items": []}'::jsonb, 'deleting the last address: an empty list');
SELECT is(tests.default_address_ids(tests.id('user')), '{}'::bigint[], 'and no default');

DO $$ BEGIN PERFORM tests.set_id('again', tests.new_address(tests.id('user'))); END $$;
SELECT is(
    tests.default_address_ids(tests.id('user')), tests.ids('{again}'),
    'the next address added becomes the default'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
