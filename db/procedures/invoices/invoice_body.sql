-- invoice_body: an invoice as GET /orders/{id}/invoice answers it (docs/api.md "Invoices"):
-- number, date (Asia/Kolkata), seller and buyer, place and type of supply, the lines
-- (invoice_lines) with their tax, the totals (their total is the order's total) and the
-- order's credit notes, oldest first. Reads; locks nothing.
CREATE FUNCTION internal.invoice_body(p_invoice store.invoices, p_order store.orders)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'order_id', p_order.id,
        'invoice_number', p_invoice.number,
        'invoice_date', to_char(p_invoice.issued_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD'),
        'issued_at', p_invoice.issued_at,
        'financial_year', p_invoice.financial_year,
        'seller', jsonb_build_object(
            'name', p_invoice.seller_name, 'gstin', p_invoice.seller_gstin,
            'address', p_invoice.seller_address, 'state_code', left(p_invoice.seller_gstin, 2)
        ),
        'buyer', jsonb_build_object(
            'name', p_order.address ->> 'name',
            'phone', p_order.address ->> 'phone',
            'address', concat_ws(', ',
                p_order.address ->> 'line1', nullif(p_order.address ->> 'line2', ''),
                nullif(p_order.address ->> 'landmark', ''), p_order.address ->> 'city',
                concat_ws(' ', p_order.address ->> 'state', p_order.address ->> 'pincode')),
            'state', p_order.address ->> 'state'
        ),
        'place_of_supply', p_invoice.place_of_supply,
        'supply_type', p_invoice.supply_type,
        'currency', p_order.currency,
        'lines', coalesce(l.lines, '[]'::jsonb),
        'totals', jsonb_build_object(
            'taxable_value', coalesce(l.taxable_value, 0), 'cgst', coalesce(l.cgst, 0),
            'sgst', coalesce(l.sgst, 0), 'igst', coalesce(l.igst, 0), 'total', p_order.total
        ),
        'credit_notes', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'credit_note_number', n.number,
                'date', to_char(n.issued_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD'),
                'issued_at', n.issued_at, 'amount', n.amount, 'taxable_value', n.taxable_value,
                'cgst', n.cgst, 'sgst', n.sgst, 'igst', n.igst, 'refund_id', n.refund_id
            ) ORDER BY n.id)
            FROM store.credit_notes AS n
            WHERE n.user_id = p_invoice.user_id AND n.invoice_id = p_invoice.id
        ), '[]'::jsonb)
    )
    FROM (
        SELECT
            jsonb_agg(jsonb_build_object(
                'line_number', il.line_number, 'kind', il.kind, 'description', il.description,
                'hsn_sac', il.hsn_sac, 'quantity', il.quantity, 'unit_price', il.unit_price,
                'discount', il.discount, 'taxable_value', il.taxable_value, 'gst_rate', il.gst_rate,
                'cgst', il.cgst, 'sgst', il.sgst, 'igst', il.igst, 'total', il.gross
            ) ORDER BY il.line_number) AS lines,
            sum(il.taxable_value)::bigint AS taxable_value, sum(il.cgst)::bigint AS cgst,
            sum(il.sgst)::bigint AS sgst, sum(il.igst)::bigint AS igst
        FROM internal.invoice_lines(p_invoice.user_id, p_invoice.order_id) AS il
    ) AS l
$$;
