-- stock_of: the units of a product that can be bought now, as a one-row table for FROM or
-- LATERAL: on hand minus active, unexpired reservations, never below 0. An expired reservation
-- stops counting at once, before any sweeper runs. The one definition of "available"
-- (internal.available_stock gives the same number as a value). One SELECT in SQL, so that
-- PostgreSQL inlines it into a list's query: two index lookups per product, no function call.
CREATE FUNCTION internal.stock_of(p_product_id bigint)
RETURNS TABLE (available integer)
LANGUAGE sql
STABLE
AS $$
    SELECT greatest(
        coalesce((SELECT i.on_hand FROM store.inventory AS i WHERE i.product_id = p_product_id), 0)
        - coalesce((
            SELECT sum(l.quantity)::integer
            FROM store.inventory_locks AS l
            WHERE l.product_id = p_product_id AND l.status = 'active' AND l.expires_at > now()
        ), 0),
        0
    )
$$;
