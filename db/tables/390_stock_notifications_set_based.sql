-- store.notify_stock_moved (db/tables/370_catalog_changes.sql) judged each product with two
-- correlated sub-queries, and judged every product given, moved or not. A bulk load that adds
-- reservations which hold nothing (bench/data.sql: 20 lakh consumed or released ones, for
-- 1 lakh products, loaded without the reservations' indexes) then read the whole reservations
-- table once per product. Now products whose on hand and reservations did not move are
-- skipped (nothing moved, nothing crossed zero), and the reservations of the others are summed
-- in one query, which PostgreSQL may answer with an index lookup per product or with one scan.
CREATE OR REPLACE FUNCTION store.notify_stock_moved(
    p_product_ids bigint[],
    p_on_hand_changes bigint[],
    p_reserved_changes bigint[]
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('catalog_changes', 'product:' || m.product_id)
    FROM unnest(p_product_ids) AS m (product_id);
    IF EXISTS (
        WITH moved AS (
            SELECT m.product_id, m.on_hand_change, m.reserved_change
            FROM unnest(p_product_ids, p_on_hand_changes, p_reserved_changes)
                AS m (product_id, on_hand_change, reserved_change)
            WHERE m.on_hand_change <> 0 OR m.reserved_change <> 0
        ),

        reserved AS (
            SELECT l.product_id, sum(l.quantity) AS units
            FROM store.inventory_locks AS l
            WHERE
                l.product_id IN (SELECT moved.product_id FROM moved)
                AND l.status = 'active' AND l.expires_at > now()
            GROUP BY l.product_id
        )

        SELECT
        FROM moved
        LEFT JOIN store.inventory AS i ON moved.product_id = i.product_id
        LEFT JOIN reserved AS r ON moved.product_id = r.product_id
        WHERE (coalesce(i.on_hand, 0) - coalesce(r.units, 0) > 0)
            <> (
                coalesce(i.on_hand, 0) - moved.on_hand_change
                - (coalesce(r.units, 0) - moved.reserved_change) > 0
            )
    ) THEN
        PERFORM pg_notify('catalog_changes', 'catalog');
    END IF;
END
$$;
