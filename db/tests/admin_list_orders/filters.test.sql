-- admin_list_orders: every customer's orders newest first; filters by status, created date
-- (India time, both days inclusive) and customer phone in any login form; keyset pages that
-- neither repeat nor skip; an unknown phone lists nothing; a bad cursor, an unknown status or
-- dates upside down are JK422 naming the field; customers get JK403.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.make_paid_order('a_');
    PERFORM tests.make_unpaid_order('b_');
    PERFORM tests.make_unpaid_order('c_', p_user_id => tests.id('a_user'));
    -- Placed on 2026-11-20 at 23:30 IST (18:00 UTC) and the next day in IST.
    UPDATE store.orders SET created_at = '2026-11-20T18:00:00Z' WHERE id = tests.id('a_order');
    UPDATE store.orders SET created_at = '2026-11-20T18:31:00Z' WHERE id = tests.id('c_order');
    UPDATE store.orders SET created_at = '2026-11-20T17:00:00Z' WHERE id = tests.id('b_order');
END
$$;

CREATE FUNCTION pg_temp.ids(p_result jsonb)
RETURNS bigint[]
LANGUAGE sql
AS $$
    SELECT array(
        SELECT (i ->> 'id')::bigint FROM jsonb_array_elements(p_result -> 'items') AS i
        WHERE (i ->> 'id')::bigint IN (tests.id('a_order'), tests.id('b_order'), tests.id('c_order'))
    )
$$;

SELECT is(
    pg_temp.ids(
        api.admin_list_orders(tests.id('staff'), p_created_from => '2026-11-20', p_created_to => '2026-11-21')
    ),
    ARRAY[tests.id('c_order'), tests.id('a_order'), tests.id('b_order')],
    'newest first, across customers'
);
SELECT is(
    pg_temp.ids(
        api.admin_list_orders(tests.id('staff'), p_created_from => '2026-11-21', p_created_to => '2026-11-21')
    ),
    ARRAY[tests.id('c_order')],
    'one day, in India time (00:01 IST on the 21st is 18:31 UTC on the 20th)'
);
SELECT is(
    pg_temp.ids(
        api.admin_list_orders(tests.id('staff'), p_status => 'confirmed', p_created_from => '2026-11-20')
    ),
    ARRAY[tests.id('a_order')], 'by status'
);
SELECT is(
    pg_temp.ids(api.admin_list_orders(
        tests.id('staff'),
        p_phone => right((
            SELECT u.phone FROM store.users AS u
            WHERE u.id = tests.id('a_user')
        ), 10)
    )),
    ARRAY[tests.id('c_order'), tests.id('a_order')], 'by the customer''s phone, 10 digits'
);
SELECT is(
    api.admin_list_orders(tests.id('staff'), p_phone => '6000000000') -> 'items', '[]'::jsonb,
    'an unknown phone lists nothing'
);
DO $$
BEGIN
    PERFORM tests.set_json('page1', api.admin_list_orders(tests.id('staff'), p_created_from => '2026-11-20',
        p_created_to => '2026-11-21', p_limit => 2));
    PERFORM tests.set_json('page2', api.admin_list_orders(tests.id('staff'), p_created_from => '2026-11-20',
        p_created_to => '2026-11-21', p_limit => 2, p_cursor => (tests.json('page1') ->> 'next_cursor')::bigint));
END
$$;
SELECT is(
    ARRAY[pg_temp.ids(tests.json('page1')), pg_temp.ids(tests.json('page2')) || 0::bigint],
    ARRAY[ARRAY[tests.id('c_order'), tests.id('a_order')], ARRAY[tests.id('b_order'), 0]],
    'two pages by cursor: none repeated, none skipped'
);
SELECT is(
    tests.error_of(format($$SELECT api.admin_list_orders(%s, p_status => 'lost')$$, tests.id('staff')))
    ->> 'column',
    'status', 'an unknown status names status'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_list_orders(%s, p_created_from => '2026-11-21', p_created_to => '2026-11-20')$$,
        tests.id('staff')
    )) ->> 'column',
    'created_to', 'dates upside down name created_to'
);
SELECT throws_ok(
    format('SELECT api.admin_list_orders(%s)', tests.id('a_user')),
    'JK403', 'forbidden', 'customers may not list orders'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
