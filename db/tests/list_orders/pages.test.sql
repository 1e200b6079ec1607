-- list_orders: the user's orders newest first, a page at a time, optionally of one status,
-- with the units ordered as item_count; another user's orders never appear; a bad page or an
-- unknown status raises JK422 validation_error.
BEGIN;

SELECT plan(7);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
    v_product bigint := tests.make_product(p_price => 10000, p_stock => 50);
BEGIN
    PERFORM tests.set_id('first', tests.place_order(v_user, ARRAY[v_product], ARRAY[1]));
    PERFORM tests.set_id('second', tests.place_order(v_user, ARRAY[v_product], ARRAY[2]));
    PERFORM tests.set_id('third', tests.place_order(v_user, ARRAY[v_product], ARRAY[3]));
    UPDATE store.orders SET created_at = created_at - interval '2 minutes' WHERE id = tests.id('first');
    UPDATE store.orders SET created_at = created_at - interval '1 minute' WHERE id = tests.id('second');
    PERFORM api.cancel_order(v_user, tests.id('first'));
    PERFORM tests.place_order(tests.make_user(), ARRAY[v_product], ARRAY[1]);
END
$$;

SELECT is(
    tests.item_ids(api.list_orders(tests.id('user'))),
    tests.ids(ARRAY['third', 'second', 'first']), 'newest first, only the user''s'
);
SELECT is(
    tests.pick(api.list_orders(tests.id('user'), 2, 2), ARRAY['page', 'page_size', 'total']),
    '{"page": 2, "page_size": 2, "total": 3}'::jsonb, 'the page and the total'
);
SELECT is(
    tests.item_ids(api.list_orders(tests.id('user'), 2, 2)), tests.ids(ARRAY['first']),
    'the second page holds the rest'
);
SELECT is(
    tests.item(api.list_orders(tests.id('user')), tests.id('third')) - 'created_at',
    jsonb_build_object(
        'id', tests.id('third'), 'status', 'pending_payment', 'total', 34000,
        'item_count', 3
    ),
    'an item: id, status, total, item_count (units)'
);
SELECT is(
    tests.item_ids(api.list_orders(tests.id('user'), p_status => 'cancelled')),
    tests.ids(ARRAY['first']), 'filtered by status'
);
SELECT throws_ok(
    format($$SELECT api.list_orders(%s, p_status => 'lost')$$, tests.id('user')),
    'JK422', 'validation_error', 'an unknown status'
);
SELECT throws_ok(
    format('SELECT api.list_orders(%s, 1, 101)', tests.id('user')),
    'JK422', 'validation_error', 'a page over 100'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
