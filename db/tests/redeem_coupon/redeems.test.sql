-- redeem_coupon: on an order, re-checks every rule against the order's subtotal, counts the use
-- (used_count + 1), records it in coupon_usage and returns the discount.
BEGIN;

SELECT plan(12);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('order', tests.make_order(tests.id('user')));
    PERFORM tests.set_id('pct', tests.make_coupon(
        p_discount_type => 'percentage', p_discount_value => 10, p_max_discount => 20000,
        p_usage_limit => 2, p_per_user_limit => 1
    ));
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('third', tests.make_user());
    PERFORM tests.set_value(
        'discount', internal.redeem_coupon(tests.id('user'), tests.id('order'), tests.id('pct')::integer, 59800)::text
    );
END
$$;

SELECT is(tests.value('discount')::bigint, 5980::bigint, 'returns the discount on the order''s subtotal');
SELECT is(tests.used_count(tests.id('pct')::integer), 1, 'used_count goes up by one');
SELECT is(
    (
        SELECT to_jsonb(u) - 'id' - 'created_at' FROM store.coupon_usage AS u
        WHERE u.order_id = tests.id('order')
    ),
    jsonb_build_object(
        'user_id', tests.id('user'), 'coupon_id', tests.id('pct'), 'order_id', tests.id('order'),
        'discount', 5980, 'status', 'redeemed', 'rolled_back_at', NULL
    ),
    'the use is recorded for the user and the order'
);
SELECT throws_ok(
    format(
        'SELECT internal.redeem_coupon(%s, %s, %s, 59800)',
        tests.id('user'), tests.make_order(tests.id('user')), tests.id('pct')
    ),
    'JK422', 'coupon_already_used', 'the same user again: over the per-user limit of 1'
);
SELECT lives_ok(
    format(
        'SELECT internal.redeem_coupon(%s, %s, %s, 59800)',
        tests.id('other'), tests.make_order(tests.id('other')), tests.id('pct')
    ),
    'another user takes the second of 2 uses'
);
SELECT throws_ok(
    format(
        'SELECT internal.redeem_coupon(%s, %s, %s, 59800)',
        tests.id('third'), tests.make_order(tests.id('third')), tests.id('pct')
    ),
    'JK422', 'coupon_usage_limit_reached', 'a third user finds it used up'
);
SELECT is(tests.used_count(tests.id('pct')::integer), 2, 'used_count is at its limit, not over');

DO $$
BEGIN
    PERFORM tests.set_id('expired', tests.make_coupon(
        p_valid_from => now() - interval '2 days', p_valid_until => now() - interval '1 hour'
    ));
    PERFORM tests.set_id('min', tests.make_coupon(p_min_order_value => 99900));
    PERFORM tests.set_id('off', tests.make_coupon(p_is_active => FALSE));
END
$$;

SELECT throws_ok(
    format(
        'SELECT internal.redeem_coupon(%s, %s, %s, 100000)',
        tests.id('user'),
        tests.make_order(tests.id('user')),
        tests.id('expired')
    ),
    'JK422', 'coupon_expired', 'a coupon that expired since it was applied'
);
SELECT throws_ok(
    format(
        'SELECT internal.redeem_coupon(%s, %s, %s, 99899)',
        tests.id('user'),
        tests.make_order(tests.id('user')),
        tests.id('min')
    ),
    'JK422', 'coupon_min_order_not_met', 'the order''s subtotal under the minimum'
);
SELECT throws_ok(
    format(
        'SELECT internal.redeem_coupon(%s, %s, %s, 100000)',
        tests.id('user'),
        tests.make_order(tests.id('user')),
        tests.id('off')
    ),
    'JK404', 'coupon_not_found', 'a coupon switched off since'
);
SELECT throws_ok(
    format(
        'SELECT internal.redeem_coupon(%s, %s, %s, 100000)',
        tests.id('user'), tests.make_order(tests.id('user')), (SELECT max(id) + 1000 FROM store.coupons)
    ),
    'JK404', 'coupon_not_found', 'an unknown coupon id'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.coupon_usage AS u
        WHERE u.coupon_id IN (tests.id('expired'), tests.id('min'), tests.id('off'))
    ),
    0, 'refused redemptions record nothing'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
