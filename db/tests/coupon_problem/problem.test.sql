-- coupon_problem: validate_coupon without raising: NULL for a usable coupon, else the detail of
-- the first rule it fails.
BEGIN;

SELECT plan(4);

DO $$
BEGIN
    PERFORM tests.set_id('user', tests.make_user());
    PERFORM tests.set_id('fine', tests.make_coupon());
    PERFORM tests.set_id('off', tests.make_coupon(p_is_active => FALSE));
    PERFORM tests.set_id('min', tests.make_coupon(p_min_order_value => 50000));
END
$$;

SELECT is(
    internal.coupon_problem(tests.coupon(tests.id('fine')::integer), tests.id('user'), 1000), NULL,
    'a usable coupon: no problem'
);
SELECT is(
    internal.coupon_problem(tests.coupon(tests.id('off')::integer), tests.id('user'), 1000),
    format('No coupon %s', tests.coupon_code(tests.id('off')::integer)),
    'a switched-off coupon: not found'
);
SELECT is(
    internal.coupon_problem(tests.coupon(tests.id('min')::integer), tests.id('user'), 40000),
    format('%s needs an order of at least ₹500; add ₹100 more', tests.coupon_code(tests.id('min')::integer)),
    'the detail of the failed rule'
);
SELECT alike(
    internal.coupon_problem(
        (
            SELECT c FROM store.coupons AS c
            WHERE c.code = 'EXPIRED20'
        ),
        tests.id('user'), 1000
    ),
    'EXPIRED20 expired on %', 'the demo EXPIRED20 is expired'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
