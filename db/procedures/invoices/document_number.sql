-- document_number: how an invoice or credit note number is written: the prefix
-- (internal.document_prefix(), 'JK'), 'CN' for a credit note, the financial year and the
-- sequence number on at least six digits: JK/2026-27/000001, JK/CN/2026-27/000001.
-- Reads nothing.
CREATE FUNCTION internal.document_number(p_series text, p_financial_year text, p_sequence integer)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT concat_ws('/',
        internal.document_prefix(),
        CASE WHEN p_series = 'credit_note' THEN 'CN' END,
        p_financial_year,
        lpad(p_sequence::text, greatest(6, length(p_sequence::text)), '0'))
$$;
