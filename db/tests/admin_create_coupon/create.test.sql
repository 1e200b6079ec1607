-- admin_create_coupon: the code upper-cased, used 0 times, appliable at once; audited
-- (coupon.create); the table's rules refused as JK422 naming the field; a taken code (any
-- case) JK409 coupon_code_taken.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.set_id('staff', tests.make_staff());
    PERFORM tests.set_value('code', 'ADM' || tests.next_serial());
    PERFORM tests.set_json('created', api.admin_create_coupon(
        tests.id('staff'), lower(tests.value('code')), 'percentage', 15, '15% off', 30000,
        p_valid_until => '2099-01-01T00:00:00+05:30', p_per_user_limit => 1
    ));
END
$$;

SELECT is(
    tests.pick(tests.json(
        'created'), ARRAY[
        'code', 'discount_type', 'discount_value', 'max_discount',
        'used_count', 'per_user_limit', 'is_active', 'valid_until'
    ]),
    jsonb_build_object(
        'code', tests.value('code'), 'discount_type', 'percentage', 'discount_value', 15,
        'max_discount', 30000, 'used_count', 0, 'per_user_limit', 1, 'is_active', TRUE,
        'valid_until', '2098-12-31T18:30:00+00:00'
    ),
    'the coupon, its code upper-cased, its end in UTC'
);
SELECT is(
    tests.audit_of('coupon', (tests.json('created') ->> 'id')::bigint),
    ARRAY[format('coupon.create:%s:', tests.id('staff'))], 'audited'
);
SELECT throws_ok(
    format(
        $$SELECT api.admin_create_coupon(%s, %L, 'flat', 100)$$, tests.id('staff'), lower(tests.value('code'))
    ),
    'JK409', 'coupon_code_taken', 'the same code in another case'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_coupon(%s, %L, 'percentage', 120)$$,
        tests.id('staff'), 'ADM' || tests.next_serial()
    )) ->> 'column',
    'discount_value', 'more than 100 percent names discount_value'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_coupon(%s, %L, 'flat', 100,
        p_valid_from => '2026-12-01T00:00:00Z', p_valid_until => '2026-11-01T00:00:00Z')$$,
        tests.id('staff'), 'ADM' || tests.next_serial()
    )) ->> 'column',
    'valid_until', 'an end before the start names valid_until'
);
SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_coupon(%s, %L, 'flat', 100, p_valid_from => '2026-13-01T00:00:00Z')$$,
        tests.id('staff'), 'ADM' || tests.next_serial()
    )) ->> 'column',
    'valid_from', 'an impossible date names valid_from'
);

SELECT is(
    tests.error_of(format(
        $$SELECT api.admin_create_coupon(%s, %L, 'flat', 100, p_valid_until => '2020-01-01T00:00:00Z')$$,
        tests.id('staff'), 'ADM' || tests.next_serial()
    )) ->> 'column',
    'valid_until', 'an end in the past, with valid_from left to now, names valid_until'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
