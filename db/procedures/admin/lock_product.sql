-- lock_product: a product, any (active or not), its row locked FOR NO KEY UPDATE until the
-- transaction ends: staff changes to one product (its pictures, its row) queue one behind the
-- other, while checkouts, which only refer to the row, go on.
-- Raises JK404 product_not_found. Returns the row.
CREATE FUNCTION internal.lock_product(p_product_id bigint)
RETURNS store.products
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_product store.products;
BEGIN
    SELECT * INTO v_product FROM store.products AS p WHERE p.id = p_product_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'product_not_found',
            DETAIL = format('No product with id %s', p_product_id);
    END IF;
    RETURN v_product;
END
$$;
