-- insufficient_stock_detail: the one wording, for people, of "not enough stock": names the
-- product and the units available now. Used by raise_insufficient_stock and by cart validation.
CREATE FUNCTION internal.insufficient_stock_detail(p_product_name text, p_available integer)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE
        WHEN p_available <= 0 THEN format('''%s'' is out of stock', p_product_name)
        WHEN p_available = 1 THEN format('Only 1 unit of ''%s'' is available', p_product_name)
        ELSE format('Only %s units of ''%s'' are available', p_available, p_product_name)
    END
$$;
