-- check_invariants, rules 17-19 (GST): each fires when its invariant is broken by hand
-- (every breakage undone before the next, see tests.rules_broken_by); the seller's GSTIN
-- carries a valid check digit.
BEGIN;

SELECT plan(7);

DO $$
BEGIN
    PERFORM tests.make_paid_order('p_', p_price => 20000, p_quantity => 1);
    PERFORM tests.make_unpaid_order('u_');
    PERFORM tests.set_id('refund',
        (api.initiate_refund(tests.id('p_user'), tests.id('p_order'), 'x', 500) ->> 'id')::bigint);
END
$$;

SELECT is(tests.broken_rules(), '{}'::text[], 'a consistent store breaks no rule');
SELECT is(
    tests.rules_broken_by(format(
        'UPDATE store.order_charges SET amount = amount + 118, taxable_value = taxable_value + 100, '
        'igst = igst + 18 WHERE order_id = %s', tests.id('p_order')
    )),
    ARRAY['order_tax_adds_up'], 'a charge that no longer adds up to the order total'
);
SELECT is(
    tests.rules_broken_by(format(
        'UPDATE store.invoices SET sequence_number = sequence_number + 1, number = '
        'internal.document_number(''invoice'', financial_year, sequence_number + 1) WHERE order_id = %s',
        tests.id('p_order')
    )),
    ARRAY['invoices_gapless'], 'a gap in the invoice numbers'
);
SELECT is(
    tests.rules_broken_by(format(
        'DELETE FROM store.invoices WHERE order_id = %s', tests.id('p_order')
    )),
    ARRAY['invoices_gapless'], 'a confirmed order without its invoice (and a number missing)'
);
SELECT is(
    tests.rules_broken_by(format(
        'SELECT internal.issue_invoice(%s, %s)', tests.id('u_user'), tests.id('u_order')
    )),
    ARRAY['invoices_gapless'], 'an invoice for an order never confirmed'
);
SELECT is(
    tests.rules_broken_by(format(
        $$UPDATE store.refunds SET status = 'processed' WHERE id = %s$$, tests.id('refund')
    )),
    ARRAY['credit_notes_within_invoice'], 'a processed refund without its credit note'
);
SELECT is(
    internal.gstin_check_digit(internal.seller_gstin()) || left(internal.seller_gstin(), 2),
    right(internal.seller_gstin(), 1) || '27',
    'the seller''s GSTIN has a valid check digit and is registered in Maharashtra (27)'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
