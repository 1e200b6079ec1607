-- refresh_popularity: the sweeper's step that carries each product's units sold
-- (store.inventory.units_sold, exact, kept by every sale and restock) to
-- store.products.sales_count, the key of sort=popularity, for the products where they differ.
-- A sale no longer writes the product row (docs/performance.md "The write path, line by
-- line"), so the popularity order trails the sales by at most one sweep. One UPDATE of the
-- changed products: their statement triggers run once for all of them. Rows another
-- transaction holds (a staff edit) are skipped, never waited for; the next sweep takes them.
-- Returns the number of products refreshed.
CREATE FUNCTION internal.refresh_popularity()
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    WITH refreshed AS (
        UPDATE store.products AS p
        SET sales_count = changed.units_sold
        FROM (
            SELECT q.id, i.units_sold
            FROM store.inventory AS i
            INNER JOIN store.products AS q ON q.id = i.product_id
            WHERE q.sales_count <> i.units_sold
            ORDER BY q.id
            FOR UPDATE OF q SKIP LOCKED
        ) AS changed
        WHERE p.id = changed.id
        RETURNING 1
    )
    SELECT count(*)::integer FROM refreshed
$$;
