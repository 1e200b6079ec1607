-- gst_split: the tax inside a GST-inclusive amount, rounded to the paisa: taxable value half
-- away from zero, the tax the rest, CGST + SGST (SGST taking the odd paisa) within the store's
-- state, IGST outside it.
BEGIN;

SELECT plan(9);

SELECT is(
    (SELECT row(t.*)::text FROM internal.gst_split(118000, 18, FALSE) AS t),
    '(100000,0,0,18000)', '18 %, inter-state: ₹1,180 is ₹1,000 taxable and ₹180 IGST'
);
SELECT is(
    (SELECT row(t.*)::text FROM internal.gst_split(118000, 18, TRUE) AS t),
    '(100000,9000,9000,0)', '18 %, intra-state: the same tax as CGST 9 % + SGST 9 %'
);
SELECT is(
    (SELECT row(t.*)::text FROM internal.gst_split(49900, 0, TRUE) AS t),
    '(49900,0,0,0)', '0 %: all of it is taxable value, no tax'
);
SELECT is(
    (SELECT row(t.*)::text FROM internal.gst_split(14, 12, FALSE) AS t),
    '(13,0,0,1)', 'half a paisa (14 * 100 / 112 = 12.5) rounds the taxable value up, away from zero'
);
SELECT is(
    (SELECT row(t.*)::text FROM internal.gst_split(42, 12, TRUE) AS t),
    '(38,2,2,0)', '42 * 100 / 112 = 37.5 rounds to 38; tax 4 halves evenly'
);
SELECT is(
    (SELECT row(t.*)::text FROM internal.gst_split(10500, 5, TRUE) AS t),
    '(10000,250,250,0)', '5 % of ₹100 taxable, split evenly'
);
SELECT is(
    (SELECT row(t.*)::text FROM internal.gst_split(1180, 18, TRUE) AS t),
    '(1000,90,90,0)', 'an 18 % tax of 180 paise splits 90 + 90'
);
SELECT is(
    (SELECT row(t.*)::text FROM internal.gst_split(1181, 18, TRUE) AS t),
    '(1001,90,90,0)', '1181 * 100 / 118 = 1000.85 rounds to 1001: tax 180'
);
SELECT is(
    (
        SELECT array_agg(g.gross)
        FROM generate_series(1, 3000) AS g (gross)
        CROSS JOIN LATERAL internal.gst_split(g.gross::bigint, 5, TRUE) AS t
        WHERE t.taxable_value + t.cgst + t.sgst <> g.gross OR t.sgst - t.cgst NOT IN (0, 1)
    ),
    NULL::integer[],
    'for every amount up to ₹30 the parts add up to it, and SGST is CGST or one paisa more'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
