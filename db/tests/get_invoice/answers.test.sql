-- get_invoice: the user's invoice once the order is confirmed, 409 invoice_not_ready before,
-- 404 order_not_found for another user's order; lines and charges add up to the order total.
BEGIN;

SELECT plan(8);

DO $$
BEGIN
    PERFORM tests.make_unpaid_order('u_');
    PERFORM tests.make_paid_order('p_', p_price => 20000, p_quantity => 1);
    PERFORM tests.set_json('invoice', api.get_invoice(tests.id('p_user'), tests.id('p_order')));
END
$$;

SELECT throws_ok(
    format('SELECT api.get_invoice(%s, %s)', tests.id('u_user'), tests.id('u_order')),
    'JK409', 'invoice_not_ready', 'before payment: invoice_not_ready'
);
SELECT throws_ok(
    format('SELECT api.get_invoice(%s, %s)', tests.id('u_user'), tests.id('p_order')),
    'JK404', 'order_not_found', 'another user''s order: order_not_found'
);
SELECT is(
    tests.json('invoice') ->> 'invoice_number',
    (
        SELECT i.number FROM store.invoices AS i
        WHERE i.order_id = tests.id('p_order')
    ),
    'the invoice number'
);
SELECT is(
    tests.json('invoice') -> 'seller',
    jsonb_build_object(
        'name', internal.seller_name(), 'gstin', internal.seller_gstin(),
        'address', internal.seller_address(), 'state_code', '27'
    ),
    'the seller, with its GSTIN and state code'
);
SELECT is(
    (tests.json('invoice') ->> 'place_of_supply') || ' ' || (tests.json('invoice') ->> 'supply_type'),
    'Karnataka inter_state', 'the place of supply is the address''s state'
);
SELECT is(
    (SELECT array_agg(l ->> 'hsn_sac') FROM jsonb_array_elements(tests.json('invoice') -> 'lines') AS l),
    ARRAY['9503', '996812'], 'a product line (HSN) and the shipping line (SAC)'
);
SELECT is(
    tests.json('invoice') -> 'totals',
    jsonb_build_object(
        'taxable_value', 19048 + 3390, 'cgst', 0, 'sgst', 0, 'igst', 952 + 610, 'total', 24000
    ),
    'the totals: ₹200 at 5 % and ₹40 shipping at 18 %, IGST, adding up to the order total'
);
SELECT is(tests.json('invoice') -> 'credit_notes', '[]'::jsonb, 'no credit notes yet');

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
