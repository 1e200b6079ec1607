-- An expired order gives its coupon use back, so the coupon can be used again.
BEGIN;

SELECT plan(3);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.set_id('coupon', tests.make_coupon(p_usage_limit => 1));
    PERFORM tests.set_id('order', tests.place_order(v_user, ARRAY[tests.make_product()], ARRAY[1],
        tests.coupon_code(tests.id('coupon')::integer)));
    UPDATE store.orders SET payment_due_at = now() - interval '1 second' WHERE id = tests.id('order');
END
$$;

SELECT is(tests.used_count(tests.id('coupon')::integer), 1, 'the order used the only use');
SELECT is(internal.expire_unpaid_orders(), 1, 'the sweeper expires it');
SELECT is(tests.used_count(tests.id('coupon')::integer), 0, 'the use is free again');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
