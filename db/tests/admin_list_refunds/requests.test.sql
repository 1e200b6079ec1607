-- admin_list_refunds: the requests waiting, oldest first, any customer's, with the customer
-- and the order's status; other statuses on demand; keyset pages by cursor; customers JK403.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.make_shipped_order('a_');
    PERFORM tests.make_shipped_order('b_');
    PERFORM tests.set_id('a_request', (api.initiate_refund(tests.id('a_user'), tests.id('a_order'), 'A') ->> 'id')::bigint);
    PERFORM tests.set_id('b_request', (api.initiate_refund(tests.id('b_user'), tests.id('b_order'), 'B') ->> 'id')::bigint);
    PERFORM tests.set_json('page1', api.admin_list_refunds(tests.id('a_staff'), p_cursor => tests.id('a_request') - 1, p_limit => 1));
END
$$;

SELECT is(
    tests.pick(tests.json('page1') -> 'items' -> 0, ARRAY['id', 'user_id', 'status', 'order_status']),
    jsonb_build_object(
        'id', tests.id('a_request'), 'user_id', tests.id('a_user'), 'status', 'requested',
        'order_status', 'shipped'
    ),
    'the oldest request first, with its customer and order status'
);
SELECT is(
    api.admin_list_refunds(
        tests.id('a_staff'), p_cursor => (tests.json('page1') ->> 'next_cursor')::bigint, p_limit => 1
    )
    -> 'items' -> 0 ->> 'id',
    tests.id('b_request')::text, 'the next page by cursor'
);
SELECT ok(
    NOT EXISTS (
        SELECT
        FROM
            jsonb_array_elements(
                api.admin_list_refunds(tests.id('a_staff'), 'pending', p_limit => 100) -> 'items'
            ) AS i
        WHERE (i ->> 'id')::bigint IN (tests.id('a_request'), tests.id('b_request'))
    ),
    'requests are not listed as pending'
);
SELECT throws_ok(
    format('SELECT api.admin_list_refunds(%s)', tests.id('a_user')),
    'JK403', 'forbidden', 'customers may not list refunds'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
