-- freeze_order_pricing: each line's tax is frozen with the order. The coupon discount is spread
-- over the lines by their totals, exactly; within the store's state (Maharashtra) the tax is
-- CGST + SGST with the odd paisa in SGST, elsewhere IGST; shipping is a charge taxed at 18 %;
-- the lines and charges add up to the order's total to the paisa.
BEGIN;

SELECT plan(12);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
    v_address bigint;
    v_coupon text;
BEGIN
    PERFORM tests.set_id('book', tests.make_product(p_price => 49900, p_hsn_code => '4903', p_gst_rate => 0));
    PERFORM tests.set_id('train', tests.make_product(p_price => 129900, p_hsn_code => '9503', p_gst_rate => 5));
    PERFORM tests.set_id('stool', tests.make_product(p_price => 1180, p_hsn_code => '9403', p_gst_rate => 18));
    PERFORM tests.set_id('coupon', tests.make_coupon(p_discount_type => 'flat', p_discount_value => 5000));
    SELECT c.code INTO v_coupon FROM store.coupons AS c WHERE c.id = tests.id('coupon');
    INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
    VALUES (v_user, 'Meera Joshi', tests.new_phone(), '5 FC Road', 'Pune', 'Maharashtra', '411001')
    RETURNING id INTO v_address;
    PERFORM tests.make_cart_line(v_user, tests.id('book'), 1);
    PERFORM tests.make_cart_line(v_user, tests.id('train'), 1);
    PERFORM tests.make_cart_line(v_user, tests.id('stool'), 1);
    PERFORM tests.set_id('intra', (api.create_order(v_user, v_address, v_coupon) ->> 'id')::bigint);
    -- The same stool alone to Karnataka: under ₹499, so it ships for ₹40.
    PERFORM tests.set_id('inter', tests.place_order(v_user, ARRAY[tests.id('stool')], ARRAY[1]));
END
$$;

-- Each line as 'hsn:rate:share:taxable:cgst:sgst:igst', by product.
CREATE FUNCTION pg_temp.tax_lines(p_order_id bigint)
RETURNS text[]
LANGUAGE sql
AS $$
    SELECT array_agg(concat_ws(':', oi.hsn_code, oi.gst_rate, oi.discount_share, oi.taxable_value,
        oi.cgst, oi.sgst, oi.igst) ORDER BY oi.product_id)
    FROM store.order_items AS oi
    WHERE oi.order_id = p_order_id
$$;

SELECT is(
    (
        SELECT row(o.subtotal, o.discount, o.shipping, o.total)::text FROM store.orders AS o
        WHERE o.id = tests.id('intra')
    ),
    '(180980,5000,0,175980)', 'the order to Pune: ₹1,809.80 less the ₹50 coupon, free shipping'
);
SELECT is(
    (
        SELECT sum(oi.discount_share)::bigint FROM store.order_items AS oi
        WHERE oi.order_id = tests.id('intra')
    ),
    5000::bigint, 'the discount shares add up to the discount exactly'
);
SELECT is(
    pg_temp.tax_lines(tests.id('intra')),
    ARRAY['4903:0:1379:48521:0:0:0', '9503:5:3589:120296:3007:3008:0', '9403:18:32:973:87:88:0'],
    'shares by line total (largest remainder); 0 % has no tax; CGST + SGST within Maharashtra, '
    'the odd paisa in SGST'
);
SELECT is(
    (
        SELECT sum(oi.taxable_value + oi.cgst + oi.sgst + oi.igst)::bigint
        FROM store.order_items AS oi
        WHERE oi.order_id = tests.id('intra')
    ),
    (tests.order_row(tests.id('intra'))).total, 'the lines add up to the total'
);
SELECT is(
    (
        SELECT count(*)::integer FROM store.order_charges AS c
        WHERE c.order_id = tests.id('intra')
    ),
    0, 'free shipping and no COD fee: no charges'
);

SELECT is(
    (
        SELECT row(o.subtotal, o.discount, o.shipping, o.total)::text FROM store.orders AS o
        WHERE o.id = tests.id('inter')
    ),
    '(1180,0,4000,5180)', 'the order to Bengaluru: ₹11.80 and ₹40 shipping'
);
SELECT is(
    pg_temp.tax_lines(tests.id('inter')), ARRAY['9403:18:0:1000:0:0:180'],
    'outside Maharashtra the whole tax is IGST'
);
SELECT is(
    (
        SELECT
            array_agg(
                concat_ws(
                    ':', c.kind, c.sac_code, c.gst_rate, c.amount, c.taxable_value, c.cgst, c.sgst, c.igst
                )
            )
        FROM store.order_charges AS c
        WHERE c.order_id = tests.id('inter')
    ),
    ARRAY['shipping:996812:18:4000:3390:0:0:610'], 'shipping is a charge taxed as a service at 18 %'
);
SELECT is(
    (
        SELECT sum(l.taxable_value + l.cgst + l.sgst + l.igst)::bigint
        FROM internal.invoice_lines(tests.id('user'), tests.id('inter')) AS l
    ),
    5180::bigint, 'lines and shipping add up to the total to the paisa'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'check_invariants finds nothing wrong (order_tax_adds_up)');

SELECT throws_ok(
    format(
        'UPDATE store.order_items SET cgst = cgst + 1, sgst = sgst - 1 WHERE order_id = %s AND gst_rate = 5',
        tests.id('intra')
    ),
    '23514', NULL, 'a CHECK keeps SGST equal to CGST or one paisa more'
);
SELECT throws_ok(
    format('UPDATE store.order_items SET igst = 1 WHERE order_id = %s AND gst_rate = 5', tests.id('intra')),
    '23514', NULL, 'a CHECK refuses IGST beside CGST and SGST, or parts that do not add up'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
