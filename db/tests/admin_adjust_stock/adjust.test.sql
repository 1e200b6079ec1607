-- admin_adjust_stock: units added or removed with a reason, audited with on hand and reserved
-- before and after; never below the units unpaid orders reserve (JK409 stock_below_reserved)
-- nor below 0 (JK409 stock_below_zero); delta 0 or a blank reason JK422 naming the field; a
-- product without an inventory row gets one; the invariants hold.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    -- 5 on hand, 2 reserved by an unpaid order.
    PERFORM tests.make_unpaid_order(p_quantity => 2, p_stock => 5);
    PERFORM tests.set_id('bare', tests.make_product(p_stock => NULL));
END
$$;

SELECT is(
    api.admin_adjust_stock(tests.id('staff'), tests.id('product'), -3, ' damaged in the warehouse '),
    jsonb_build_object('product_id', tests.id('product'), 'on_hand', 2, 'reserved', 2, 'available', 0),
    'three damaged units removed: two left, both reserved'
);
SELECT is(
    (
        SELECT row(a.action, a.before, a.after, a.reason)::text
        FROM store.staff_audit AS a
        WHERE a.entity_type = 'product' AND a.entity_id = tests.id('product')
    ),
    '(product.stock_adjust,"{""on_hand"": 5, ""reserved"": 2}","{""on_hand"": 2, ""reserved"": 2}",'
    || '"damaged in the warehouse")',
    'audited with the stock before and after and the reason (trimmed)'
);
SELECT throws_ok(
    format($$SELECT api.admin_adjust_stock(%s, %s, -1, 'lost')$$, tests.id('staff'), tests.id('product')),
    'JK409', 'stock_below_reserved', 'units reserved by an unpaid order cannot be removed'
);
SELECT throws_ok(
    format($$SELECT api.admin_adjust_stock(%s, %s, -1, 'lost')$$, tests.id('staff'), tests.id('bare')),
    'JK409', 'stock_below_zero', 'nothing on hand: nothing to remove'
);
SELECT is(
    (api.admin_adjust_stock(tests.id('staff'), tests.id('bare'), 4, 'first delivery') ->> 'on_hand')::integer,
    4, 'a product without an inventory row gets one'
);
SELECT is(
    tests.error_of(
        format($$SELECT api.admin_adjust_stock(%s, %s, 0, 'x')$$, tests.id('staff'), tests.id('bare'))
    )
    ->> 'column',
    'delta', 'delta 0 names delta'
);
SELECT is(
    tests.error_of(
        format($$SELECT api.admin_adjust_stock(%s, %s, 1, '  ')$$, tests.id('staff'), tests.id('bare'))
    )
    ->> 'column',
    'reason', 'a blank reason names reason'
);
SELECT throws_ok(
    format($$SELECT api.admin_adjust_stock(%s, 999999999, 1, 'x')$$, tests.id('staff')),
    'JK404', 'product_not_found', 'an unknown product'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
