-- rollback_coupon: the order's redeemed use becomes rolled_back and used_count goes down once;
-- a second call, or an order without a coupon, changes nothing. The use can then be taken again.
BEGIN;

SELECT plan(9);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('coupon', tests.make_coupon(p_usage_limit => 1, p_per_user_limit => 1));
    PERFORM tests.set_id('order', tests.make_order(tests.id('user')));
    PERFORM internal.redeem_coupon(tests.id('user'), tests.id('order'), tests.id('coupon')::integer, 10000);
    PERFORM tests.set_value('first', internal.rollback_coupon(tests.id('user'), tests.id('order'))::text);
END
$$;

SELECT is(tests.value('first')::boolean, TRUE, 'a use was given back');
SELECT is(tests.used_count(tests.id('coupon')::integer), 0, 'used_count goes down by one');
SELECT is(
    (
        SELECT u.status FROM store.coupon_usage AS u
        WHERE u.user_id = tests.id('user') AND u.order_id = tests.id('order')
    ),
    'rolled_back', 'the use is marked rolled back'
);
SELECT isnt(
    (
        SELECT u.rolled_back_at FROM store.coupon_usage AS u
        WHERE u.user_id = tests.id('user') AND u.order_id = tests.id('order')
    ),
    NULL, 'with the time'
);
SELECT is(
    internal.rollback_coupon(tests.id('user'), tests.id('order')),
    FALSE,
    'a second rollback gives nothing back'
);
SELECT is(tests.used_count(tests.id('coupon')::integer), 0, 'used_count stays');
SELECT is(
    internal.rollback_coupon(tests.id('user'), tests.make_order(tests.id('user'))), FALSE,
    'an order without a coupon: nothing to give back'
);
SELECT is(
    internal.rollback_coupon(tests.make_user(), tests.id('order')), FALSE,
    'another user''s order: nothing happens'
);
SELECT lives_ok(
    format(
        'SELECT internal.redeem_coupon(%s, %s, %s, 10000)',
        tests.id('user'), tests.make_order(tests.id('user')), tests.id('coupon')
    ),
    'the given-back use (total and per user) can be redeemed again'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
