-- gst_split: the GST inside a GST-inclusive amount (p_gross paise at p_rate percent), the one
-- place the store's tax arithmetic lives (order lines, charges, credit notes):
--   taxable_value = round(p_gross * 100 / (100 + p_rate)), to the paisa, half away from zero;
--   tax = p_gross - taxable_value, so taxable_value + tax = p_gross exactly;
--   within the store's state (p_intra_state): cgst = tax / 2 rounded down, sgst = tax - cgst
--   (SGST takes the odd paisa); otherwise igst = tax.
-- Pure arithmetic: reads and locks nothing.
CREATE FUNCTION internal.gst_split(
    p_gross bigint,
    p_rate integer,
    p_intra_state boolean,
    OUT taxable_value bigint,
    OUT cgst bigint,
    OUT sgst bigint,
    OUT igst bigint
)
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT
        t.taxable,
        CASE WHEN p_intra_state THEN (p_gross - t.taxable) / 2 ELSE 0 END,
        CASE WHEN p_intra_state THEN (p_gross - t.taxable) - (p_gross - t.taxable) / 2 ELSE 0 END,
        CASE WHEN p_intra_state THEN 0 ELSE p_gross - t.taxable END
    FROM (SELECT round(p_gross * 100.0 / (100 + p_rate))::bigint AS taxable) AS t
$$;
