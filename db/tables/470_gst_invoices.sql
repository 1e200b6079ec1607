-- GST on every order, invoices and credit notes (docs/dba.md "GST, invoices and credit notes").
-- - order_items gains its tax, frozen with the order by freeze_order_pricing: HSN code, rate,
--   its share of the coupon discount, taxable value and CGST + SGST or IGST, in paise.
-- - order_charges: shipping and the cash-on-delivery fee, taxed as a service, so that an
--   order's lines and charges add up to its total to the paisa.
-- - document_counters: one row per series (invoice, credit_note) and financial year, whose
--   row lock makes the numbers gapless.
-- - invoices: issued when an order is confirmed; credit_notes: issued when a refund is
--   processed (or a confirmed cash-on-delivery order is cancelled or returned).
-- Orders placed before this file keep NULL tax columns and no charges: they get no invoice
-- (issue_invoice skips them, GET /orders/{id}/invoice answers invoice_not_ready).

ALTER TABLE store.order_items
ADD COLUMN hsn_code text,
ADD COLUMN gst_rate smallint,
ADD COLUMN discount_share bigint,
ADD COLUMN taxable_value bigint,
ADD COLUMN cgst bigint,
ADD COLUMN sgst bigint,
ADD COLUMN igst bigint,
ADD CONSTRAINT order_items_tax_all_or_none CHECK (
    num_nulls(hsn_code, gst_rate, discount_share, taxable_value, cgst, sgst, igst) IN (0, 7)
),
ADD CONSTRAINT order_items_gst_rate_valid CHECK (gst_rate IN (0, 5, 12, 18)),
ADD CONSTRAINT order_items_discount_share_within_line CHECK (discount_share BETWEEN 0 AND line_total),
ADD CONSTRAINT order_items_taxable_value_rounded CHECK (
    taxable_value = round((line_total - discount_share) * 100.0 / (100 + gst_rate))
),
ADD CONSTRAINT order_items_tax_adds_up CHECK (
    taxable_value + cgst + sgst + igst = line_total - discount_share
),
ADD CONSTRAINT order_items_tax_non_negative CHECK (cgst >= 0 AND sgst >= 0 AND igst >= 0),
ADD CONSTRAINT order_items_igst_or_cgst_sgst CHECK (igst = 0 OR (cgst = 0 AND sgst = 0)),
ADD CONSTRAINT order_items_sgst_takes_odd_paisa CHECK (sgst - cgst IN (0, 1));

COMMENT ON COLUMN store.order_items.hsn_code IS
'The product''s HSN code at checkout; NULL (with every tax column) on orders placed before GST.';
COMMENT ON COLUMN store.order_items.gst_rate IS 'The product''s GST rate in percent at checkout.';
COMMENT ON COLUMN store.order_items.discount_share IS
'Paise of the order''s coupon discount borne by this line (shares add up to orders.discount).';
COMMENT ON COLUMN store.order_items.taxable_value IS
'round((line_total - discount_share) * 100 / (100 + gst_rate)), in paise.';
COMMENT ON COLUMN store.order_items.cgst IS
'Central GST in paise: half the tax rounded down, within the store''s state; else 0.';
COMMENT ON COLUMN store.order_items.sgst IS
'State GST in paise: the tax less cgst (the odd paisa), within the store''s state; else 0.';
COMMENT ON COLUMN store.order_items.igst IS
'Integrated GST in paise: the whole tax outside the store''s state; else 0.';

CREATE TABLE store.order_charges (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    kind text NOT NULL,
    sac_code text NOT NULL,
    gst_rate smallint NOT NULL,
    amount bigint NOT NULL,
    taxable_value bigint NOT NULL,
    cgst bigint NOT NULL,
    sgst bigint NOT NULL,
    igst bigint NOT NULL,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id) ON DELETE CASCADE,
    CONSTRAINT order_charges_one_per_kind UNIQUE (user_id, order_id, kind),
    CONSTRAINT order_charges_kind_valid CHECK (kind IN ('shipping', 'cod_fee')),
    CONSTRAINT order_charges_sac_code_format CHECK (sac_code ~ '^99[0-9]{4}$'),
    CONSTRAINT order_charges_gst_rate_valid CHECK (gst_rate IN (0, 5, 12, 18)),
    CONSTRAINT order_charges_amount_positive CHECK (amount > 0),
    CONSTRAINT order_charges_taxable_value_rounded CHECK (
        taxable_value = round(amount * 100.0 / (100 + gst_rate))
    ),
    CONSTRAINT order_charges_tax_adds_up CHECK (taxable_value + cgst + sgst + igst = amount),
    CONSTRAINT order_charges_tax_non_negative CHECK (cgst >= 0 AND sgst >= 0 AND igst >= 0),
    CONSTRAINT order_charges_igst_or_cgst_sgst CHECK (igst = 0 OR (cgst = 0 AND sgst = 0)),
    CONSTRAINT order_charges_sgst_takes_odd_paisa CHECK (sgst - cgst IN (0, 1))
);

COMMENT ON TABLE store.order_charges IS
'The charges of an order besides its lines (shipping, the COD fee), taxed as a service and '
'frozen by freeze_order_pricing; only charges above 0. Sharding: distributed by user_id with store.users.';
COMMENT ON COLUMN store.order_charges.user_id IS 'Buyer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.order_charges.id IS 'Charge id.';
COMMENT ON COLUMN store.order_charges.order_id IS 'The order.';
COMMENT ON COLUMN store.order_charges.kind IS 'shipping (orders.shipping) or cod_fee (orders.cod_fee).';
COMMENT ON COLUMN store.order_charges.sac_code IS 'Services Accounting Code printed on the invoice.';
COMMENT ON COLUMN store.order_charges.gst_rate IS 'GST rate in percent.';
COMMENT ON COLUMN store.order_charges.amount IS 'The charge in paise, GST included (as on the order).';
COMMENT ON COLUMN store.order_charges.taxable_value IS
'round(amount * 100 / (100 + gst_rate)), in paise.';
COMMENT ON COLUMN store.order_charges.cgst IS 'Central GST in paise (as order_items.cgst).';
COMMENT ON COLUMN store.order_charges.sgst IS 'State GST in paise (as order_items.sgst).';
COMMENT ON COLUMN store.order_charges.igst IS 'Integrated GST in paise (as order_items.igst).';

CREATE TABLE store.document_counters (
    series text NOT NULL,
    financial_year text NOT NULL,
    last_number integer NOT NULL,
    PRIMARY KEY (series, financial_year),
    CONSTRAINT document_counters_series_valid CHECK (series IN ('invoice', 'credit_note')),
    CONSTRAINT document_counters_financial_year_format CHECK (financial_year ~ '^[0-9]{4}-[0-9]{2}$'),
    CONSTRAINT document_counters_last_number_positive CHECK (last_number > 0)
);

COMMENT ON TABLE store.document_counters IS
'The last invoice and credit note number issued in each financial year. Each number is taken '
'under the row''s lock in the transaction that issues it, so a rolled-back one is never used '
'and the numbers have no gaps; every confirmation queues on this one row until it commits, '
'the store''s single hot spot once sharded. Sharding: on the coordinator.';
COMMENT ON COLUMN store.document_counters.series IS 'invoice or credit_note.';
COMMENT ON COLUMN store.document_counters.financial_year IS
'Indian financial year, April to March by the Asia/Kolkata date, as 2026-27.';
COMMENT ON COLUMN store.document_counters.last_number IS
'The last number issued in the series and year (the next one is this + 1).';

CREATE TABLE store.invoices (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    number text NOT NULL,
    financial_year text NOT NULL,
    sequence_number integer NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now(),
    seller_name text NOT NULL,
    seller_gstin text NOT NULL,
    seller_address text NOT NULL,
    place_of_supply text NOT NULL,
    supply_type text NOT NULL,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id),
    CONSTRAINT invoices_one_per_order UNIQUE (user_id, order_id),
    CONSTRAINT invoices_sequence_number_positive CHECK (sequence_number > 0),
    CONSTRAINT invoices_number_matches CHECK (
        number LIKE '%/' || financial_year || '/'
        || lpad(sequence_number::text, greatest(6, length(sequence_number::text)), '0')
    ),
    CONSTRAINT invoices_seller_gstin_format CHECK (
        seller_gstin ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'
    ),
    CONSTRAINT invoices_supply_type_valid CHECK (supply_type IN ('intra_state', 'inter_state'))
);

-- Numbers are found by year and sequence (invoices_gapless, support looking one up); unique
-- only through the counter, as a unique index would have to include user_id once sharded.
CREATE INDEX invoices_financial_year_sequence ON store.invoices (financial_year, sequence_number);

COMMENT ON TABLE store.invoices IS
'Tax invoices: one per order, issued when it is confirmed, numbered gaplessly per financial year '
'(store.document_counters). Its lines are the order''s frozen order_items and order_charges. '
'Sharding: distributed by user_id with store.users.';
COMMENT ON COLUMN store.invoices.user_id IS 'Buyer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.invoices.id IS 'Invoice id.';
COMMENT ON COLUMN store.invoices.order_id IS 'The order invoiced.';
COMMENT ON COLUMN store.invoices.number IS 'Invoice number, as JK/2026-27/000001.';
COMMENT ON COLUMN store.invoices.financial_year IS 'Financial year of issued_at (Asia/Kolkata), as 2026-27.';
COMMENT ON COLUMN store.invoices.sequence_number IS 'Its place in the year''s series: 1, 2, 3 …';
COMMENT ON COLUMN store.invoices.issued_at IS 'When it was issued: the confirming transaction''s time.';
COMMENT ON COLUMN store.invoices.seller_name IS 'Seller''s legal name when issued.';
COMMENT ON COLUMN store.invoices.seller_gstin IS 'Seller''s GSTIN when issued.';
COMMENT ON COLUMN store.invoices.seller_address IS 'Seller''s address when issued.';
COMMENT ON COLUMN store.invoices.place_of_supply IS 'The delivery address''s state.';
COMMENT ON COLUMN store.invoices.supply_type IS
'intra_state (CGST + SGST: place of supply is the store''s state) or inter_state (IGST).';

CREATE TABLE store.credit_notes (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    invoice_id bigint NOT NULL,
    refund_id bigint,
    number text NOT NULL,
    financial_year text NOT NULL,
    sequence_number integer NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now(),
    amount bigint NOT NULL,
    taxable_value bigint NOT NULL,
    cgst bigint NOT NULL,
    sgst bigint NOT NULL,
    igst bigint NOT NULL,
    lines jsonb NOT NULL,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id),
    FOREIGN KEY (user_id, invoice_id) REFERENCES store.invoices (user_id, id),
    FOREIGN KEY (user_id, refund_id) REFERENCES store.refunds (user_id, id),
    CONSTRAINT credit_notes_one_per_refund UNIQUE (user_id, refund_id),
    CONSTRAINT credit_notes_sequence_number_positive CHECK (sequence_number > 0),
    CONSTRAINT credit_notes_number_matches CHECK (
        number LIKE '%/CN/' || financial_year || '/'
        || lpad(sequence_number::text, greatest(6, length(sequence_number::text)), '0')
    ),
    CONSTRAINT credit_notes_amount_positive CHECK (amount > 0),
    CONSTRAINT credit_notes_tax_adds_up CHECK (taxable_value + cgst + sgst + igst = amount),
    CONSTRAINT credit_notes_tax_non_negative CHECK (
        taxable_value >= 0 AND cgst >= 0 AND sgst >= 0 AND igst >= 0
    ),
    CONSTRAINT credit_notes_lines_array CHECK (jsonb_typeof(lines) = 'array')
);

CREATE INDEX credit_notes_order ON store.credit_notes (user_id, order_id);
CREATE INDEX credit_notes_invoice ON store.credit_notes (user_id, invoice_id);
CREATE INDEX credit_notes_financial_year_sequence ON store.credit_notes (financial_year, sequence_number);

COMMENT ON TABLE store.credit_notes IS
'Credit notes against an invoice: one per processed refund, or for a whole cash-on-delivery '
'order cancelled or returned after its invoice. Numbered gaplessly per financial year in their '
'own series. Sharding: distributed by user_id with store.users.';
COMMENT ON COLUMN store.credit_notes.user_id IS 'Buyer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.credit_notes.id IS 'Credit note id.';
COMMENT ON COLUMN store.credit_notes.order_id IS 'The order credited.';
COMMENT ON COLUMN store.credit_notes.invoice_id IS 'The invoice it reduces.';
COMMENT ON COLUMN store.credit_notes.refund_id IS 'The refund it records; NULL for cash on delivery.';
COMMENT ON COLUMN store.credit_notes.number IS 'Credit note number, as JK/CN/2026-27/000001.';
COMMENT ON COLUMN store.credit_notes.financial_year IS 'Financial year of issued_at (Asia/Kolkata).';
COMMENT ON COLUMN store.credit_notes.sequence_number IS 'Its place in the year''s credit note series.';
COMMENT ON COLUMN store.credit_notes.issued_at IS 'When it was issued.';
COMMENT ON COLUMN store.credit_notes.amount IS 'Paise credited, GST included.';
COMMENT ON COLUMN store.credit_notes.taxable_value IS 'Taxable value of the amount, in paise.';
COMMENT ON COLUMN store.credit_notes.cgst IS 'Central GST credited, in paise.';
COMMENT ON COLUMN store.credit_notes.sgst IS 'State GST credited, in paise.';
COMMENT ON COLUMN store.credit_notes.igst IS 'Integrated GST credited, in paise.';
COMMENT ON COLUMN store.credit_notes.lines IS
'The amount spread over the invoice''s lines: [{"kind", "line_id", "hsn_sac", "gst_rate", '
'"amount", "taxable_value", "cgst", "sgst", "igst"}], adding up to the columns.';
