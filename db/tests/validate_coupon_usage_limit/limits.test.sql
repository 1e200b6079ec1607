-- validate_coupon_usage_limit: the total limit counts used_count; the per-user limit counts the
-- user's redeemed uses (rolled back ones and other users' do not count); first_order_only looks
-- for a paid order of the user (confirmed, packed, shipped, delivered, partially_refunded,
-- refunded), not an unpaid, failed, expired or cancelled one.
BEGIN;

SELECT plan(15);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('other', tests.make_user());
    PERFORM tests.set_id('unlimited', tests.make_coupon(p_used_count => 1000));
    PERFORM tests.set_id('four_of_five', tests.make_coupon(p_usage_limit => 5, p_used_count => 4));
    PERFORM tests.set_id('five_of_five', tests.make_coupon(p_usage_limit => 5, p_used_count => 5));
    PERFORM tests.set_id('twice', tests.make_coupon(p_per_user_limit => 2));
    PERFORM tests.make_redemption(tests.id('user'), tests.id('twice')::integer);
    PERFORM tests.make_redemption(tests.id('user'), tests.id('twice')::integer, 'rolled_back');
    PERFORM tests.make_redemption(tests.id('other'), tests.id('twice')::integer);
    PERFORM tests.make_redemption(tests.id('other'), tests.id('twice')::integer);
    PERFORM tests.set_id('first', tests.make_coupon(p_first_order_only => TRUE));
END
$$;

CREATE FUNCTION pg_temp.check_sql(p_coupon text, p_user text)
RETURNS text
LANGUAGE sql
AS $$
    SELECT format(
        'SELECT internal.validate_coupon_usage_limit(tests.coupon(%s), %s)',
        tests.id(p_coupon), tests.id(p_user)
    )
$$;

SELECT lives_ok(pg_temp.check_sql('unlimited', 'user'), 'no usage limit: any number of uses');
SELECT lives_ok(pg_temp.check_sql('four_of_five', 'user'), '4 of 5 used: one more is fine');
SELECT throws_ok(
    pg_temp.check_sql('five_of_five', 'user'), 'JK422', 'coupon_usage_limit_reached', '5 of 5 used: refused'
);
SELECT lives_ok(
    pg_temp.check_sql('twice', 'user'), 'one redeemed and one rolled back use of 2 allowed: fine'
);
SELECT throws_ok(
    pg_temp.check_sql('twice', 'other'), 'JK422', 'coupon_already_used',
    'two redeemed uses of 2 allowed: refused'
);
SELECT is(
    tests.error_of(pg_temp.check_sql('twice', 'other')) ->> 'detail',
    format('You have already used %s 2 times', tests.coupon_code(tests.id('twice')::integer)),
    'the detail counts the uses'
);

SELECT lives_ok(pg_temp.check_sql('first', 'user'), 'first order only: a user with no order');

DO $$
BEGIN
    PERFORM tests.make_order(tests.id('user'), p_status => s.status)
    FROM (VALUES ('pending_payment'), ('payment_failed'), ('expired'), ('cancelled')) AS s (status);
END
$$;

SELECT lives_ok(
    pg_temp.check_sql('first', 'user'),
    'first order only: unpaid, failed, expired and cancelled orders do not count'
);

DO $$
BEGIN
    PERFORM tests.set_id('paid_' || s.status, tests.make_user())
    FROM (VALUES ('confirmed'), ('packed'), ('shipped'), ('delivered'), ('partially_refunded'), ('refunded')) AS s (status);
    PERFORM tests.make_order(tests.id('paid_' || s.status), p_status => s.status)
    FROM (VALUES ('confirmed'), ('packed'), ('shipped'), ('delivered'), ('partially_refunded'), ('refunded')) AS s (status);
END
$$;

SELECT
    throws_ok(
        pg_temp.check_sql('first', 'paid_' || s.status), 'JK422', 'coupon_already_used',
        format('first order only: refused to a user with a %s order', s.status)
    )
FROM (
    VALUES ('confirmed'), ('packed'), ('shipped'), ('delivered'), ('partially_refunded'), ('refunded')
) AS s (status);
SELECT is(
    tests.error_of(pg_temp.check_sql('first', 'paid_delivered')) ->> 'detail',
    format('%s is only for your first order', tests.coupon_code(tests.id('first')::integer)),
    'the detail says why'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
