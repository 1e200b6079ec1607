-- thumbnail_of: the URL of a product's picture at the first position, as a table of one row
-- (none without a picture) for FROM or LATERAL. The one definition of the thumbnail
-- (api.product_thumbnail gives it as a value). One SELECT in SQL, so that PostgreSQL inlines it
-- into a list's query.
CREATE FUNCTION api.thumbnail_of(p_product_id bigint)
RETURNS TABLE (url text)
LANGUAGE sql
STABLE
AS $$
    SELECT img.url FROM store.product_images AS img
    WHERE img.product_id = p_product_id
    ORDER BY img.position
    LIMIT 1
$$;
