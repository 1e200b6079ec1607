-- issue_credit_note: a credit note of p_amount paise (GST included) against an order's invoice:
-- the next number of the credit note series in the current financial year (as issue_invoice,
-- under the counter row's lock, gapless), the amount spread over the invoice's lines in
-- proportion to what each sold for (apportion: exact to the paisa), and each part's tax
-- (gst_split at the line's rate, CGST + SGST or IGST as on the invoice). The parts are stored in
-- `lines`, their sums in the columns.
-- Called by settle_refund when a refund is processed (p_refund_id = the refund), and for a
-- confirmed cash-on-delivery order cancelled or returned (p_refund_id NULL, the whole total).
-- An order without an invoice (never confirmed, or placed before GST) gets no credit note;
-- a refund that already has one gets the same one back. Callers keep the amounts within what
-- was invoiced (refunds never exceed the capture; check_invariants rule credit_notes_within_invoice).
-- Internal. Locks: the counter row of ('credit_note', the year).
-- Returns the credit note row, or NULL when none is issued.
CREATE FUNCTION internal.issue_credit_note(
    p_user_id bigint, p_order_id bigint, p_amount bigint, p_refund_id bigint
)
RETURNS store.credit_notes
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_invoice store.invoices;
    v_note store.credit_notes;
BEGIN
    SELECT * INTO v_invoice FROM store.invoices AS i WHERE i.user_id = p_user_id AND i.order_id = p_order_id;
    IF v_invoice.id IS NULL OR coalesce(p_amount, 0) <= 0 THEN
        RETURN NULL;
    END IF;
    SELECT * INTO v_note
    FROM store.credit_notes AS n
    WHERE n.user_id = p_user_id AND n.refund_id = p_refund_id;
    IF FOUND THEN
        RETURN v_note;
    END IF;

    WITH lines AS (
        SELECT * FROM internal.invoice_lines(p_user_id, p_order_id)
    ),
    parts AS (
        SELECT l.line_number, l.kind, l.line_id, l.hsn_sac, l.gst_rate, s.shares[l.line_number] AS amount
        FROM lines AS l
        CROSS JOIN (
            SELECT internal.apportion(p_amount, array_agg(x.gross ORDER BY x.line_number)) AS shares
            FROM lines AS x
        ) AS s
    ),
    taxed AS (
        SELECT p.*, t.taxable_value, t.cgst, t.sgst, t.igst
        FROM parts AS p
        CROSS JOIN LATERAL internal.gst_split(
            p.amount, p.gst_rate, v_invoice.supply_type = 'intra_state'
        ) AS t
        WHERE p.amount > 0
    ),
    counter AS (
        INSERT INTO store.document_counters AS c (series, financial_year, last_number)
        VALUES ('credit_note', internal.financial_year(now()), 1)
        ON CONFLICT (series, financial_year) DO UPDATE SET last_number = c.last_number + 1
        RETURNING c.financial_year, c.last_number
    )
    INSERT INTO store.credit_notes (
        user_id, order_id, invoice_id, refund_id, number, financial_year, sequence_number,
        amount, taxable_value, cgst, sgst, igst, lines
    )
    SELECT
        p_user_id, p_order_id, v_invoice.id, p_refund_id,
        internal.document_number('credit_note', n.financial_year, n.last_number),
        n.financial_year, n.last_number, p_amount,
        sum(t.taxable_value), sum(t.cgst), sum(t.sgst), sum(t.igst),
        jsonb_agg(jsonb_build_object(
            'kind', t.kind, 'line_id', t.line_id, 'hsn_sac', t.hsn_sac, 'gst_rate', t.gst_rate,
            'amount', t.amount, 'taxable_value', t.taxable_value, 'cgst', t.cgst, 'sgst', t.sgst,
            'igst', t.igst
        ) ORDER BY t.line_number)
    FROM taxed AS t
    CROSS JOIN counter AS n
    GROUP BY n.financial_year, n.last_number
    RETURNING * INTO v_note;
    RETURN v_note;
END
$$;
