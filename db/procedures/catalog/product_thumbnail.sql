-- product_thumbnail: the URL of a product's picture at the first position, NULL without one:
-- the image_url of its stored summary (store.product_summaries, where the thumbnail is
-- defined), for the cart, which shows the thumbnail without the rest of the summary.
-- PL/pgSQL for the reason internal.available_stock gives: its plan is kept for the connection.
CREATE FUNCTION internal.product_thumbnail(p_product_id bigint)
RETURNS text
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    RETURN (SELECT s.summary ->> 'image_url' FROM store.product_summaries AS s WHERE s.product_id = p_product_id);
END
$$;
