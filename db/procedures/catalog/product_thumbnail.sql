-- product_thumbnail: the URL of a product's picture at the first position, NULL without one
-- (api.thumbnail_of, as a value). PL/pgSQL for the reason api.available_stock gives: its plan
-- is kept for the connection.
CREATE FUNCTION api.product_thumbnail(p_product_id bigint)
RETURNS text
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    RETURN (SELECT t.url FROM api.thumbnail_of(p_product_id) AS t);
END
$$;
