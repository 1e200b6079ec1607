-- validate_coupon: each rule on its own, by SQLSTATE. Switched off: JK404 coupon_not_found.
-- Before valid_from or from valid_until on: JK422 coupon_expired. used_count at usage_limit:
-- JK422 coupon_usage_limit_reached. The user's uses at per_user_limit, or a first-order coupon
-- for a user with a paid order: JK422 coupon_already_used. Subtotal under min_order_value:
-- JK422 coupon_min_order_not_met.
BEGIN;

SELECT plan(18);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('fine', tests.make_coupon());
    PERFORM tests.set_id('off', tests.make_coupon(p_is_active => FALSE));
    PERFORM tests.set_id('early', tests.make_coupon(p_valid_from => now() + interval '1 day'));
    PERFORM tests.set_id('late', tests.make_coupon(
        p_valid_from => now() - interval '2 days', p_valid_until => now() - interval '1 day'
    ));
    PERFORM tests.set_id('ends_now', tests.make_coupon(p_valid_from => now() - interval '2 days', p_valid_until => now()));
    PERFORM tests.set_id('ends_soon', tests.make_coupon(
        p_valid_from => now() - interval '2 days', p_valid_until => now() + interval '1 second'
    ));
    PERFORM tests.set_id('used_up', tests.make_coupon(p_usage_limit => 5, p_used_count => 5));
    PERFORM tests.set_id('one_left', tests.make_coupon(p_usage_limit => 5, p_used_count => 4));
    PERFORM tests.set_id('once', tests.make_coupon(p_per_user_limit => 1));
    PERFORM tests.make_redemption(tests.id('user'), tests.id('once')::integer);
    PERFORM tests.set_id('first', tests.make_coupon(p_first_order_only => TRUE));
    PERFORM tests.set_id('veteran', tests.make_user());
    PERFORM tests.make_order(tests.id('veteran'), p_status => 'delivered');
    PERFORM tests.set_id('min', tests.make_coupon(p_min_order_value => 99900));
END
$$;

CREATE FUNCTION pg_temp.check_sql(p_coupon text, p_user text DEFAULT 'user', p_subtotal bigint DEFAULT 100000)
RETURNS text
LANGUAGE sql
AS $$
    SELECT format(
        'SELECT internal.validate_coupon(tests.coupon(%s), %s, %s)',
        tests.id(p_coupon), tests.id(p_user), p_subtotal
    )
$$;

SELECT lives_ok(pg_temp.check_sql('fine'), 'a coupon breaking no rule passes');
SELECT throws_ok(pg_temp.check_sql('off'), 'JK404', 'coupon_not_found', 'switched off: not found');
SELECT throws_ok(pg_temp.check_sql('early'), 'JK422', 'coupon_expired', 'not valid yet: expired');
SELECT throws_ok(pg_temp.check_sql('late'), 'JK422', 'coupon_expired', 'past valid_until: expired');
SELECT throws_ok(pg_temp.check_sql('ends_now'), 'JK422', 'coupon_expired', 'valid_until is exclusive');
SELECT lives_ok(pg_temp.check_sql('ends_soon'), 'before valid_until: fine');
SELECT throws_ok(
    pg_temp.check_sql('used_up'), 'JK422', 'coupon_usage_limit_reached', 'used as often as its limit allows'
);
SELECT lives_ok(pg_temp.check_sql('one_left'), 'one use left: fine');
SELECT throws_ok(
    pg_temp.check_sql('once'), 'JK422', 'coupon_already_used', 'the user''s own limit is reached'
);
SELECT lives_ok(pg_temp.check_sql('once', 'veteran'), 'another user may still use it');
SELECT throws_ok(
    pg_temp.check_sql('first', 'veteran'), 'JK422', 'coupon_already_used',
    'first order only, for a user with a paid order'
);
SELECT lives_ok(pg_temp.check_sql('first'), 'first order only, for a user with none: fine');
SELECT throws_ok(
    pg_temp.check_sql('min', p_subtotal => 99899), 'JK422', 'coupon_min_order_not_met',
    'a paisa under the minimum order'
);
SELECT lives_ok(pg_temp.check_sql('min', p_subtotal => 99900), 'exactly the minimum: fine');
SELECT is(
    tests.error_of(pg_temp.check_sql('min', p_subtotal => 50000)) ->> 'detail',
    format('%s needs an order of at least ₹999; add ₹499 more', tests.coupon_code(tests.id('min')::integer)),
    'the detail says how much more to add'
);
SELECT is(
    tests.error_of(pg_temp.check_sql('late')) ->> 'detail',
    format(
        '%s expired on %s', tests.coupon_code(tests.id('late')::integer),
        to_char((now() - interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
    ),
    'the detail says when it expired'
);

DO $$
BEGIN
    PERFORM tests.set_id('everything', tests.make_coupon(
        p_is_active => TRUE, p_valid_from => now() - interval '2 days',
        p_valid_until => now() - interval '1 day', p_usage_limit => 1, p_used_count => 1,
        p_min_order_value => 99900
    ));
    PERFORM tests.set_id('used_up_min', tests.make_coupon(
        p_usage_limit => 1, p_used_count => 1, p_min_order_value => 99900
    ));
END
$$;

SELECT throws_ok(
    pg_temp.check_sql('everything', p_subtotal => 100), 'JK422', 'coupon_expired',
    'an expired coupon is reported as expired before its limits and minimum'
);
SELECT throws_ok(
    pg_temp.check_sql('used_up_min', p_subtotal => 100), 'JK422', 'coupon_usage_limit_reached',
    'a used-up coupon is reported as used up before its minimum order'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
