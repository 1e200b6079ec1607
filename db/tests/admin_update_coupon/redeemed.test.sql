-- admin_update_coupon: only the fields sent change; a coupon already redeemed keeps its
-- used_count and its orders their discount; usage_limit may not go below the uses redeemed
-- (JK422 naming usage_limit); is_active false disables it (apply_coupon: coupon_not_found);
-- audited (coupon.update); the invariants (coupon_uses_counted) hold; unknown: JK404.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_id('coupon', tests.make_coupon(p_usage_limit => 5));
    PERFORM tests.set_id('buyer', tests.make_user());
    PERFORM tests.set_id('product', tests.make_product(p_price => 60000));
    PERFORM tests.set_id('order', tests.place_order(tests.id('buyer'), ARRAY[tests.id('product')], ARRAY[1],
        tests.coupon_code(tests.id('coupon')::integer)));
    PERFORM tests.set_id('order2', tests.place_order(tests.make_user(), ARRAY[tests.id('product')], ARRAY[1],
        tests.coupon_code(tests.id('coupon')::integer)));
END
$$;

SELECT is(
    tests.pick(
        api.admin_update_coupon(tests.id('staff'), tests.id('coupon')::integer, p_discount_value => 9000),
        ARRAY['discount_value', 'used_count', 'usage_limit']
    ),
    '{"discount_value": 9000, "used_count": 2, "usage_limit": 5}'::jsonb,
    'the discount changed; the two uses stay counted'
);
SELECT is(
    (tests.order_row(tests.id('order'))).discount, 5000::bigint,
    'an order placed before keeps its discount'
);
SELECT is(
    tests.error_of(format(
        'SELECT api.admin_update_coupon(%s, %s, p_usage_limit => 1)',
        tests.id('staff'), tests.id('coupon')
    )) ->> 'column',
    'usage_limit', 'a limit below the uses redeemed names usage_limit'
);
SELECT lives_ok(
    format(
        'SELECT api.admin_update_coupon(%s, %s, p_usage_limit => 2, p_is_active => FALSE)',
        tests.id('staff'), tests.id('coupon')
    ),
    'a limit equal to the uses, and disabled'
);
DO $$
BEGIN
    PERFORM tests.set_id('shopper', tests.make_user());
    PERFORM tests.make_cart_line(tests.id('shopper'), tests.id('product'), 1);
END
$$;
SELECT is(
    tests.error_of(format(
        'SELECT api.apply_coupon(%s, %L)', tests.id('shopper'),
        tests.coupon_code(tests.id('coupon')::integer)
    )) ->> 'message',
    'coupon_not_found', 'a disabled coupon cannot be applied'
);
SELECT is(
    (
        SELECT array_agg(a.action ORDER BY a.id) FROM store.staff_audit AS a
        WHERE a.entity_type = 'coupon' AND a.entity_id = tests.id('coupon')
    ),
    ARRAY['coupon.update', 'coupon.update'], 'each change audited'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'the invariants hold (used_count = uses redeemed)');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
