-- admin_list_audit: the audit trail newest first, by entity (type and id) or by staff member,
-- in keyset pages; the entries carry who, what, before, after and the reason; entity_id
-- without entity_type is JK422; customers JK403.
BEGIN;

SELECT plan(5);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('product', tests.make_product(p_stock => 3));
    PERFORM api.admin_adjust_stock(tests.id('staff'), tests.id('product'), 2, 'delivery');
    PERFORM api.admin_update_product(tests.id('staff'), tests.id('product'), p_price => 100);
    PERFORM tests.set_json('page1', api.admin_list_audit(tests.id('staff'), 'product', tests.id('product'), p_limit => 1));
END
$$;

SELECT is(
    tests.pick(tests.json('page1') -> 'items' -> 0, ARRAY['action', 'staff_user_id', 'entity_id']),
    jsonb_build_object(
        'action', 'product.update', 'staff_user_id', tests.id('staff'), 'entity_id', tests.id('product')
    ),
    'the newest entry of the product first'
);
SELECT is(
    (api.admin_list_audit(
        tests.id('staff'), 'product', tests.id('product'),
        p_cursor => (tests.json('page1') ->> 'next_cursor')::bigint
    ) -> 'items' -> 0)
    - 'id' - 'created_at' - 'entity_id' - 'staff_user_id',
    '{"action": "product.stock_adjust", "entity_type": "product", "customer_id": null,
      "before": {"on_hand": 3, "reserved": 0}, "after": {"on_hand": 5, "reserved": 0}, "reason": "delivery"}'::jsonb,
    'the next page: the stock adjustment, with before, after and reason'
);
SELECT is(
    jsonb_array_length(
        api.admin_list_audit(tests.id('staff'), p_staff_user_id => tests.id('staff')) -> 'items'
    ),
    2, 'by staff member'
);
SELECT is(
    tests.error_of(format('SELECT api.admin_list_audit(%s, p_entity_id => 1)', tests.id('staff')))
    ->> 'column',
    'entity_id', 'entity_id needs entity_type'
);
SELECT throws_ok(
    format('SELECT api.admin_list_audit(%s)', tests.make_user()),
    'JK403', 'forbidden', 'customers may not read the audit'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
