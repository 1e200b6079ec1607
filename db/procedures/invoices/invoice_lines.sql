-- invoice_lines: the lines of an order's invoice, in the order they are printed: its products
-- (order_items, by line id), then its charges (order_charges: shipping, then the COD fee), each
-- with what it sold for after the coupon (gross = line_total - discount_share, or the charge)
-- and its frozen tax. Lines of an order placed before GST have NULL tax fields.
-- Reads; locks nothing.
CREATE FUNCTION internal.invoice_lines(p_user_id bigint, p_order_id bigint)
RETURNS TABLE (
    line_number integer,
    kind text,
    line_id bigint,
    description text,
    hsn_sac text,
    quantity integer,
    unit_price bigint,
    discount bigint,
    gross bigint,
    taxable_value bigint,
    gst_rate integer,
    cgst bigint,
    sgst bigint,
    igst bigint
)
LANGUAGE sql
STABLE
AS $$
    SELECT row_number() OVER (ORDER BY l.sort_kind, l.sort_id)::integer, l.kind, l.line_id,
        l.description, l.hsn_sac, l.quantity, l.unit_price, l.discount, l.gross, l.taxable_value,
        l.gst_rate, l.cgst, l.sgst, l.igst
    FROM (
        SELECT 1 AS sort_kind, oi.id AS sort_id, 'product' AS kind, oi.id AS line_id,
            oi.product_name AS description, oi.hsn_code AS hsn_sac, oi.quantity, oi.unit_price,
            oi.discount_share AS discount, oi.line_total - oi.discount_share AS gross,
            oi.taxable_value, oi.gst_rate::integer AS gst_rate, oi.cgst, oi.sgst, oi.igst
        FROM store.order_items AS oi
        WHERE oi.user_id = p_user_id AND oi.order_id = p_order_id
        UNION ALL
        SELECT 2, CASE c.kind WHEN 'shipping' THEN 1 ELSE 2 END, c.kind, c.id,
            CASE c.kind WHEN 'shipping' THEN 'Shipping' ELSE 'Cash on delivery fee' END,
            c.sac_code, 1, c.amount, 0, c.amount, c.taxable_value, c.gst_rate, c.cgst, c.sgst, c.igst
        FROM store.order_charges AS c
        WHERE c.user_id = p_user_id AND c.order_id = p_order_id
    ) AS l
$$;
