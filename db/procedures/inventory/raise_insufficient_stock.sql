-- raise_insufficient_stock: raises JK409 insufficient_stock, the detail naming the product and
-- the units available now (insufficient_stock_detail). Shared by the cart and the reservations.
CREATE FUNCTION internal.raise_insufficient_stock(p_product_name text, p_available integer)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'JK409', MESSAGE = 'insufficient_stock',
        DETAIL = internal.insufficient_stock_detail(p_product_name, p_available);
END
$$;
