-- create_order's arithmetic, in paise: subtotal = sum of unit_price x quantity; the coupon's
-- discount (flat, or percentage rounded down, capped); shipping 4000 below 49900 after the
-- discount, else 0; total = subtotal - discount + shipping. With and without coupons.
BEGIN;

SELECT plan(7);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
    v_cheap bigint := tests.make_product(p_price => 19900, p_stock => 50);
    v_dear bigint := tests.make_product(p_price => 33333, p_stock => 50);
BEGIN
    -- 2 x 199 = 398: under 499, shipping charged.
    PERFORM tests.set_id('small', tests.place_order(v_user, ARRAY[v_cheap], ARRAY[2]));
    -- 199 + 333.33 x 3 = 1198.99: free shipping.
    PERFORM tests.set_id('large', tests.place_order(v_user, ARRAY[v_cheap, v_dear], ARRAY[1, 3]));
    -- Flat ₹100 on 1198.99.
    PERFORM tests.set_id('flat', tests.place_order(v_user, ARRAY[v_cheap, v_dear], ARRAY[1, 3],
        tests.coupon_code(tests.make_coupon(p_discount_value => 10000))));
    -- 15% of 999.99 = 149.9985, rounded down to 149.99 (14999 paise).
    PERFORM tests.set_id('percent', tests.place_order(v_user, ARRAY[v_dear], ARRAY[3],
        tests.coupon_code(tests.make_coupon(p_discount_type => 'percentage', p_discount_value => 15))));
    -- 50% capped at ₹200.
    PERFORM tests.set_id('capped', tests.place_order(v_user, ARRAY[v_dear], ARRAY[3],
        tests.coupon_code(tests.make_coupon(p_discount_type => 'percentage', p_discount_value => 50,
            p_max_discount => 20000))));
    -- ₹5 off 5 x 199 = 995 -> 990, still free; ₹500 off 995 -> 495: shipping charged again.
    PERFORM tests.set_id('still_free', tests.place_order(v_user, ARRAY[v_cheap], ARRAY[5],
        tests.coupon_code(tests.make_coupon(p_discount_value => 500))));
    PERFORM tests.set_id('charged', tests.place_order(v_user, ARRAY[v_cheap], ARRAY[5],
        tests.coupon_code(tests.make_coupon(p_discount_value => 50000))));
END
$$;

CREATE TEMPORARY TABLE amounts AS
SELECT
    o.id,
    row(o.subtotal, o.discount, o.shipping, o.total)::text AS figures
FROM store.orders AS o
WHERE o.user_id = tests.id('user');

SELECT
    is((
        SELECT figures FROM amounts
        WHERE id = tests.id('small')
    ), '(39800,0,4000,43800)', 'under ₹499: ₹40 shipping');
SELECT
    is((
        SELECT figures FROM amounts
        WHERE id = tests.id('large')
    ), '(119899,0,0,119899)', 'from ₹499: free shipping');
SELECT
    is((
        SELECT figures FROM amounts
        WHERE id = tests.id('flat')
    ), '(119899,10000,0,109899)', 'a flat coupon');
SELECT
    is((
        SELECT figures FROM amounts
        WHERE id = tests.id('percent')
    ), '(99999,14999,0,85000)', 'a percentage, rounded down to the paisa');
SELECT
    is((
        SELECT figures FROM amounts
        WHERE id = tests.id('capped')
    ), '(99999,20000,0,79999)', 'a percentage capped by max_discount');
SELECT
    is((
        SELECT figures FROM amounts
        WHERE id = tests.id('still_free')
    ), '(99500,500,0,99000)', 'free shipping counts after the discount');
SELECT
    is((
        SELECT figures FROM amounts
        WHERE id = tests.id('charged')
    ), '(99500,50000,4000,53500)', 'a discount below ₹499 brings shipping back');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
