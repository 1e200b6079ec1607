-- reserved_stock: the units of a product that unpaid orders reserve now: their active,
-- unexpired reservations (the ones internal.stock_of subtracts from on hand). Stock
-- adjustments never take on hand below it. Locks nothing.
CREATE FUNCTION internal.reserved_stock(p_product_id bigint)
RETURNS integer
LANGUAGE sql
STABLE
AS $$
    SELECT coalesce(sum(l.quantity), 0)::integer
    FROM store.inventory_locks AS l
    WHERE l.product_id = p_product_id AND l.status = 'active' AND l.expires_at > now()
$$;
