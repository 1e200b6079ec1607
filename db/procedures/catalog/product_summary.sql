-- product_summary: a product as every list shows it (GET /products, recommendations, the
-- wishlist; GET /products/{id} adds to it): its stored summary (store.product_summaries,
-- which defines the other keys and the thumbnail) with in_stock, whether units are available
-- now, added at read time since every reservation changes it.
-- Given the stored summary and the available units, as a query gets them for many products at
-- once by joining store.product_summaries and internal.stock_of.
-- One expression with no sub-query, so that PostgreSQL inlines it into the caller's query;
-- jsonb || replaces no key here (the stored summary has no in_stock).
CREATE FUNCTION internal.product_summary(p_summary jsonb, p_available integer)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT p_summary || jsonb_build_object('in_stock', p_available > 0)
$$;
