-- issue_invoice: an order gets its invoice when it is confirmed (transition_order, on the move
-- pending_payment -> confirmed) and not before; numbers are JK/<financial year>/<6 digits>,
-- consecutive, restarting at 1 each financial year (1 April, India time); a confirming
-- transaction that rolls back gives its number back; an order placed before GST gets none.
BEGIN;

SELECT plan(14);

-- The last invoice number issued in the current financial year (0 when none).
CREATE FUNCTION pg_temp.last_invoice_number()
RETURNS integer
LANGUAGE sql
AS $$
    SELECT coalesce((
        SELECT c.last_number FROM store.document_counters AS c
        WHERE c.series = 'invoice' AND c.financial_year = internal.financial_year(now())
    ), 0)
$$;

CREATE FUNCTION pg_temp.invoice_of(p_order_id bigint)
RETURNS store.invoices
LANGUAGE sql
AS $$
    SELECT i.* FROM store.invoices AS i WHERE i.order_id = p_order_id
$$;

DO $$
BEGIN
    PERFORM tests.set_id('start', pg_temp.last_invoice_number());
    PERFORM tests.make_unpaid_order('a_');
END
$$;

SELECT is((pg_temp.invoice_of(tests.id('a_order'))).id, NULL, 'an unpaid order has no invoice');
SELECT is(pg_temp.last_invoice_number(), tests.id('start')::integer, 'and took no number');

DO $$
BEGIN
    PERFORM tests.pay(tests.id('a_user'), tests.id('a_order'));
    PERFORM tests.make_paid_order('b_');
END
$$;

SELECT is(
    (
        SELECT row(i.financial_year, i.sequence_number, i.place_of_supply, i.supply_type)::text
        FROM pg_temp.invoice_of(tests.id('a_order')) AS i
    ),
    format('(%s,%s,Karnataka,inter_state)', internal.financial_year(now()), tests.id('start') + 1),
    'paying confirms the order and issues the next number of this financial year'
);
SELECT matches(
    (pg_temp.invoice_of(tests.id('a_order'))).number, '^JK/[0-9]{4}-[0-9]{2}/[0-9]{6}$',
    'numbered as JK/2026-27/000001'
);
SELECT is(
    (pg_temp.invoice_of(tests.id('b_order'))).sequence_number, tests.id('start')::integer + 2,
    'the next confirmed order takes the next number'
);
SELECT is(
    (
        SELECT row(i.seller_name, i.seller_gstin, i.seller_address)::text
        FROM pg_temp.invoice_of(tests.id('a_order')) AS i
    ),
    row(internal.seller_name(), internal.seller_gstin(), internal.seller_address())::text,
    'the seller''s details are copied onto the invoice'
);
SELECT is(
    (internal.issue_invoice(tests.id('a_user'), tests.id('a_order'))).id, NULL,
    'an order is invoiced once: issuing again gives nothing'
);
SELECT is(pg_temp.last_invoice_number(), tests.id('start')::integer + 2, 'and takes no number');

-- A payment whose transaction fails after the confirmation: the number goes back.
DO $$
BEGIN
    PERFORM tests.make_unpaid_order('c_');
    BEGIN
        PERFORM tests.pay(tests.id('c_user'), tests.id('c_order'));
        RAISE EXCEPTION USING ERRCODE = 'TE001', MESSAGE = 'the confirming transaction fails';
    EXCEPTION WHEN SQLSTATE 'TE001' THEN
        NULL;
    END;
    PERFORM tests.make_paid_order('d_');
END
$$;

SELECT is(
    (pg_temp.invoice_of(tests.id('c_order'))).id, NULL, 'the rolled-back confirmation left no invoice'
);
SELECT is(
    (pg_temp.invoice_of(tests.id('d_order'))).sequence_number, tests.id('start')::integer + 3,
    'and the next confirmed order takes the number it had: no gap'
);

-- An order placed before GST: its lines carry no tax.
DO $$
BEGIN
    PERFORM tests.make_unpaid_order('e_');
    UPDATE store.order_items
    SET hsn_code = NULL, gst_rate = NULL, discount_share = NULL, taxable_value = NULL, cgst = NULL,
        sgst = NULL, igst = NULL
    WHERE order_id = tests.id('e_order');
    PERFORM tests.pay(tests.id('e_user'), tests.id('e_order'));
END
$$;

SELECT is(
    row((tests.order_row(tests.id('e_order'))).status, (pg_temp.invoice_of(tests.id('e_order'))).id)::text,
    '(confirmed,)', 'an order placed before GST is confirmed without an invoice'
);
SELECT
    is(
        tests.broken_rules(),
        '{}'::text[],
        'check_invariants finds every confirmed order invoiced, numbers gapless'
    );

-- The financial year turns on 1 April in India (18:30 UTC on 31 March).
DO $$
BEGIN
    PERFORM tests.make_unpaid_order('f_');
    PERFORM tests.make_unpaid_order('g_');
    PERFORM internal.issue_invoice(tests.id('f_user'), tests.id('f_order'), '2031-03-31 18:29:59+00');
    PERFORM internal.issue_invoice(tests.id('g_user'), tests.id('g_order'), '2031-03-31 18:30:00+00');
END
$$;

SELECT is(
    (pg_temp.invoice_of(tests.id('f_order'))).number, 'JK/2030-31/000001',
    'a minute before midnight on 31 March IST: the old year''s series'
);
SELECT is(
    (pg_temp.invoice_of(tests.id('g_order'))).number, 'JK/2031-32/000001',
    'midnight on 1 April IST: the new year starts again at 000001'
);

SELECT * FROM finish(); -- noqa: AM04
ROLLBACK;
