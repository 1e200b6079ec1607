-- issue_credit_note: a processed refund issues a credit note against the order's invoice
-- (settle_refund), numbered JK/CN/<year>/<6 digits> in its own gapless series, its amount spread
-- over the invoice's lines (products and shipping) exactly, each part taxed at its line's rate.
-- A failed refund issues none; an order without an invoice gets none (NULL); a credit note for
-- a cash-on-delivery order comes without a refund.
BEGIN;

SELECT plan(11);

DO $$
DECLARE
    v_user bigint := tests.set_id('user', tests.make_user());
BEGIN
    PERFORM tests.set_id('toy', tests.make_product(p_price => 20000, p_gst_rate => 5));
    PERFORM tests.set_id('cot', tests.make_product(p_price => 11800, p_hsn_code => '9403', p_gst_rate => 18));
    -- ₹200 at 5 %, ₹118 at 18 %, ₹40 shipping: ₹358 to Karnataka (IGST).
    PERFORM tests.set_id('order', tests.place_order(v_user, ARRAY[tests.id('toy'), tests.id('cot')], ARRAY[1, 1]));
    PERFORM tests.pay(v_user, tests.id('order'));
    PERFORM tests.set_id('a', (api.initiate_refund(v_user, tests.id('order'), 'A', 10000) ->> 'id')::bigint);
    PERFORM tests.set_id('b', (api.initiate_refund(v_user, tests.id('order'), 'B', 5000) ->> 'id')::bigint);
    PERFORM internal.settle_refund(v_user, tests.id('a'), 'processed');
    PERFORM internal.settle_refund(v_user, tests.id('b'), 'failed');
    PERFORM tests.make_unpaid_order('u_');
END
$$;

CREATE FUNCTION pg_temp.note_of(p_refund_id bigint)
RETURNS store.credit_notes
LANGUAGE sql
AS $$
    SELECT n.* FROM store.credit_notes AS n WHERE n.refund_id = p_refund_id
$$;

SELECT is(
    (
        SELECT row(n.amount, n.taxable_value, n.cgst, n.sgst, n.igst)::text
        FROM pg_temp.note_of(tests.id('a')) AS n
    ),
    '(10000,9061,0,0,939)', 'the processed ₹100 refund has a credit note with its tax (IGST)'
);
SELECT is(
    (
        SELECT
            array_agg(
                concat_ws(
                    ':', l.value ->> 'kind', l.value ->> 'hsn_sac', l.value ->> 'amount',
                    l.value ->> 'taxable_value', l.value ->> 'igst'
                ) ORDER BY o.n
            )
        FROM pg_temp.note_of(tests.id('a')) AS n
        CROSS JOIN LATERAL jsonb_array_elements(n.lines) WITH ORDINALITY AS o (value, n)
        CROSS JOIN LATERAL (SELECT o.value) AS l
    ),
    ARRAY['product:9503:5587:5321:266', 'product:9403:3296:2793:503', 'shipping:996812:1117:947:170'],
    'spread over the lines by what each sold for (20000 : 11800 : 4000), to the paisa'
);
SELECT matches(
    (pg_temp.note_of(tests.id('a'))).number, '^JK/CN/[0-9]{4}-[0-9]{2}/[0-9]{6}$',
    'numbered in the credit note series'
);
SELECT is(
    (pg_temp.note_of(tests.id('a'))).invoice_id,
    (
        SELECT i.id FROM store.invoices AS i
        WHERE i.order_id = tests.id('order')
    ),
    'it references the order''s invoice'
);
SELECT is((pg_temp.note_of(tests.id('b'))).id, NULL, 'a failed refund issues no credit note');
SELECT is(
    (internal.issue_credit_note(tests.id('user'), tests.id('order'), 10000, tests.id('a'))).id,
    (pg_temp.note_of(tests.id('a'))).id, 'a refund has one credit note: asking again returns it'
);
SELECT is(
    (internal.issue_credit_note(tests.id('u_user'), tests.id('u_order'), 1000, NULL)).id, NULL,
    'an order without an invoice gets no credit note'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'check_invariants: credit notes match the refunds');

DO $$
BEGIN
    PERFORM tests.set_id('cod_note',
        (internal.issue_credit_note(tests.id('user'), tests.id('order'), 25800, NULL)).id);
END
$$;

SELECT is(
    (
        SELECT row(n.refund_id, n.amount, n.taxable_value, n.igst, n.sequence_number)::text
        FROM store.credit_notes AS n
        WHERE n.id = tests.id('cod_note')
    ),
    format('(,25800,23377,2423,%s)', (pg_temp.note_of(tests.id('a'))).sequence_number + 1),
    'without a refund (cash on delivery): the next number, the rest of the total'
);
SELECT is(tests.broken_rules(), '{}'::text[], 'credit notes adding up to the total break no rule');
SELECT is(
    tests.rules_broken_by(format(
        'SELECT internal.issue_credit_note(%s, %s, 1, NULL)', tests.id('user'), tests.id('order')
    )),
    ARRAY['credit_notes_within_invoice'], 'crediting more than the invoice is reported'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
