-- apply_coupon errors, by SQLSTATE, checked against the cart's subtotal: unknown or switched off
-- (JK404 coupon_not_found), expired (JK422 coupon_expired), minimum order (JK422
-- coupon_min_order_not_met), used up (JK422 coupon_usage_limit_reached), already used by the
-- user (JK422 coupon_already_used), blank (JK422 validation_error). A refused code leaves the
-- cart's coupon as it was.
BEGIN;

SELECT plan(10);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('toy', tests.make_product(p_price => 29900, p_stock => 10));
    PERFORM tests.make_cart_line(tests.id('user'), tests.id('toy'), 2);
    PERFORM tests.set_id('kept', tests.make_coupon());
    PERFORM tests.attach_coupon(tests.id('user'), tests.id('kept')::integer);
    PERFORM tests.set_id('off', tests.make_coupon(p_is_active => FALSE));
    PERFORM tests.set_id('used_up', tests.make_coupon(p_usage_limit => 5, p_used_count => 5));
    PERFORM tests.set_id('once', tests.make_coupon(p_per_user_limit => 1));
    PERFORM tests.make_redemption(tests.id('user'), tests.id('once')::integer);
END
$$;

CREATE FUNCTION pg_temp.apply_sql(p_code text)
RETURNS text
LANGUAGE sql
AS $$
    SELECT format('SELECT api.apply_coupon(%s, %L)', tests.id('user'), p_code)
$$;

SELECT throws_ok(pg_temp.apply_sql('NOSUCHCODE'), 'JK404', 'coupon_not_found', 'an unknown code');
SELECT throws_ok(
    pg_temp.apply_sql(tests.coupon_code(tests.id('off')::integer)), 'JK404', 'coupon_not_found',
    'a switched-off coupon is not found either'
);
SELECT throws_ok(pg_temp.apply_sql('expired20'), 'JK422', 'coupon_expired', 'EXPIRED20 is expired');
SELECT throws_ok(
    pg_temp.apply_sql('FLAT100'), 'JK422', 'coupon_min_order_not_met', 'FLAT100 on ₹598: under ₹999'
);
SELECT is(
    tests.error_of(pg_temp.apply_sql('FLAT100')),
    jsonb_build_object(
        'sqlstate', 'JK422', 'message', 'coupon_min_order_not_met', 'column', NULL,
        'detail', 'FLAT100 needs an order of at least ₹999; add ₹401 more'
    ),
    'the minimum is checked against the cart''s subtotal'
);
SELECT throws_ok(
    pg_temp.apply_sql(tests.coupon_code(tests.id('used_up')::integer)), 'JK422', 'coupon_usage_limit_reached',
    'a used-up coupon'
);
SELECT throws_ok(
    pg_temp.apply_sql(tests.coupon_code(tests.id('once')::integer)), 'JK422', 'coupon_already_used',
    'a coupon the user already used as often as allowed'
);
SELECT throws_ok(pg_temp.apply_sql(''), 'JK422', 'validation_error', 'a blank code');
SELECT is(tests.error_of(pg_temp.apply_sql('  ')) ->> 'column', 'code', 'names the field');
SELECT is(
    (
        SELECT c.coupon_id FROM store.carts AS c
        WHERE c.user_id = tests.id('user')
    ), tests.id('kept'
    )::integer,
    'the cart keeps the coupon it had'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
