-- available_stock: units of a product that can be bought now: on hand minus active, unexpired
-- reservations. An expired reservation stops counting at once, before any sweeper runs.
CREATE FUNCTION api.available_stock(p_product_id bigint)
RETURNS integer
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
