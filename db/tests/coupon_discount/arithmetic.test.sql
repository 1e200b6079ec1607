-- coupon_discount: integer paise. Percentage: floor(subtotal * percent / 100), capped by
-- max_discount; flat: its value, capped by max_discount; never more than the subtotal.
BEGIN;

SELECT plan(11);

DO $$
BEGIN
    PERFORM tests.set_id('pct10', tests.make_coupon(p_discount_type => 'percentage', p_discount_value => 10));
    PERFORM tests.set_id('pct15', tests.make_coupon(p_discount_type => 'percentage', p_discount_value => 15));
    PERFORM tests.set_id('pct10_cap', tests.make_coupon(
        p_discount_type => 'percentage', p_discount_value => 10, p_max_discount => 20000
    ));
    PERFORM tests.set_id('pct100', tests.make_coupon(p_discount_type => 'percentage', p_discount_value => 100));
    PERFORM tests.set_id('flat100', tests.make_coupon(p_discount_value => 10000));
    PERFORM tests.set_id('flat_cap', tests.make_coupon(p_discount_value => 10000, p_max_discount => 7500));
END
$$;

SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('pct10')::integer), 59800), 5980::bigint, '10% of ₹598'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('pct15')::integer), 44690),
    6703::bigint,
    '15% of ₹446.90 = 67.035: rounded down'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('pct10')::integer), 9),
    0::bigint,
    '10% of 9 paise is 0.9: rounded down to 0'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('pct10_cap')::integer), 199900),
    19990::bigint,
    'under the cap: the percentage'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('pct10_cap')::integer), 250000),
    20000::bigint,
    'over the cap: the cap'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('pct100')::integer), 12345),
    12345::bigint,
    '100%: the whole subtotal'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('flat100')::integer), 99900),
    10000::bigint,
    'flat: its value'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('flat100')::integer), 6000),
    6000::bigint,
    'flat above the subtotal: the subtotal'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('flat_cap')::integer), 99900),
    7500::bigint,
    'flat is capped by max_discount too'
);
SELECT is(
    internal.coupon_discount(tests.coupon(tests.id('flat100')::integer), 0),
    0::bigint,
    'an empty subtotal: nothing'
);
SELECT is(
    internal.coupon_discount((
        SELECT c FROM store.coupons AS c
        WHERE c.code = 'WELCOME10'
    ), 300000), 20000::bigint,
    'the demo WELCOME10: 10% up to ₹200'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
