-- The checkout's write path (docs/performance.md "The write path, line by line").

-- Units sold are counted on the stock row a sale already locks and updates, not on the
-- product: a sale used to rewrite store.products (sales_count is indexed, so every index of
-- products, the full-text GIN included, took a new entry, and the statement triggers of
-- products ran), and a staff bulk edit of prices made paying checkouts wait on its row locks.
-- products.sales_count, the popularity sort's key, now follows units_sold in the sweeper
-- (internal.refresh_popularity).
ALTER TABLE store.inventory ADD COLUMN units_sold bigint NOT NULL DEFAULT 0;
ALTER TABLE store.inventory ADD CONSTRAINT inventory_units_sold_non_negative CHECK (units_sold >= 0);

COMMENT ON COLUMN store.inventory.units_sold IS
'Units sold (decrease_inventory adds, restore_inventory takes back); the exact count.';
COMMENT ON COLUMN store.products.sales_count IS
'Units sold as of the sweeper''s last refresh (store.inventory.units_sold); sort=popularity orders by it.';

UPDATE store.inventory AS i SET units_sold = p.sales_count
FROM store.products AS p
WHERE p.id = i.product_id AND p.sales_count > 0;

-- The sweeper finds expired reservations through inventory_locks_active_product, which holds
-- every active reservation with its expires_at. This index only cost a write per reservation,
-- and the planner chose it for a product's availability (internal.stock_of), scanning every
-- active reservation of every product: 62 pages a call on the benchmark store.
DROP INDEX store.inventory_locks_active_expires_at;

-- A sale of reserved units leaves a product's availability as it was: decrease_inventory takes
-- the units off on_hand and consumes the reservation that held them, in one transaction. So
-- neither write notifies catalog_changes (370): the on-hand trigger skips an update that moves
-- units from on_hand to units_sold, and the reservations trigger skips reservations consumed.
-- A late capture, whose reservation no longer held the units, does change availability;
-- decrease_inventory notifies that itself (store.notify_stock_moved). Each skipped
-- notification was three lookups and a pg_notify in the payment's transaction, and a
-- transaction that notifies takes PostgreSQL's one notification-queue lock from commit until
-- its end, so every checkout waited for the others' commits there.
DROP TRIGGER inventory_notify_updated ON store.inventory;
CREATE TRIGGER inventory_notify_updated
AFTER UPDATE OF on_hand, product_id ON store.inventory
FOR EACH ROW
WHEN (
    (old.on_hand <> new.on_hand OR old.product_id <> new.product_id)
    AND NOT (
        old.product_id = new.product_id
        AND new.units_sold > old.units_sold
        AND new.units_sold - old.units_sold = old.on_hand - new.on_hand
    )
)
EXECUTE FUNCTION store.notify_inventory_changed();

CREATE OR REPLACE FUNCTION store.notify_reservations_changed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_moved record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT
            array_agg(c.product_id) AS ids,
            array_agg(0::bigint) AS on_hand_changes,
            array_agg(c.reserved_change) AS reserved_changes
        INTO v_moved
        FROM (
            SELECT
                n.product_id,
                coalesce(sum(n.quantity) FILTER (WHERE n.status = 'active' AND n.expires_at > now()), 0)
                AS reserved_change
            FROM new_rows AS n
            GROUP BY n.product_id
        ) AS c;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT
            array_agg(c.product_id) AS ids,
            array_agg(0::bigint) AS on_hand_changes,
            array_agg(c.reserved_change) AS reserved_changes
        INTO v_moved
        FROM (
            SELECT
                o.product_id,
                -coalesce(sum(o.quantity) FILTER (WHERE o.status = 'active'), 0) AS reserved_change
            FROM old_rows AS o
            GROUP BY o.product_id
        ) AS c;
    ELSE  -- UPDATE. A reservation consumed here is a sale's: neither counted nor named.
        SELECT
            array_agg(c.product_id) AS ids,
            array_agg(0::bigint) AS on_hand_changes,
            array_agg(c.reserved_change) AS reserved_changes
        INTO v_moved
        FROM (
            SELECT
                s.product_id,
                coalesce(sum(s.counted), 0) AS reserved_change
            FROM (
                SELECT
                    r.product_id,
                    r.counted,
                    bool_or(r.consumed) OVER (PARTITION BY r.user_id, r.id) AS sold
                FROM (
                    SELECT
                        n.user_id, n.id, n.product_id, n.status = 'consumed' AS consumed,
                        CASE WHEN n.status = 'active' AND n.expires_at > now() THEN n.quantity END
                        AS counted
                    FROM new_rows AS n
                    UNION ALL
                    SELECT
                        o.user_id, o.id, o.product_id, FALSE,
                        CASE WHEN o.status = 'active' THEN -o.quantity END
                    FROM old_rows AS o
                ) AS r
            ) AS s
            WHERE NOT s.sold
            GROUP BY s.product_id
        ) AS c;
    END IF;
    PERFORM store.notify_stock_moved(v_moved.ids, v_moved.on_hand_changes, v_moved.reserved_changes);
    RETURN NULL;
END
$$;

-- A bulk edit of products rewrites its list summaries in one statement. The summaries'
-- update trigger was row-level (340), so an UPDATE of 10,000 prices called
-- store.write_product_summaries 10,000 times, one product a call: 2.5 s of the UPDATE's
-- 3.5 s on the benchmark store, with every changed row locked all along. Now statement-level,
-- like the search terms' (290): the changed products are found by grouping the old and new
-- rows by id on the listed columns (no join: PL/pgSQL keeps a plan made for one row), then
-- written with one call. An update that changes none of them (sales_count, has_stock) writes
-- nothing.
CREATE OR REPLACE FUNCTION store.summarize_products()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_changed bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        v_changed := array(SELECT n.id FROM new_rows AS n);
    ELSE
        v_changed := array(
            SELECT r.id
            FROM (
                SELECT
                    n.id,
                    ROW(
                        n.name, n.slug, n.brand, n.price, n.mrp, n.category_id, n.age_min_months,
                        n.age_max_months, n.gender
                    ) AS listed
                FROM new_rows AS n
                UNION ALL
                SELECT
                    o.id,
                    ROW(
                        o.name, o.slug, o.brand, o.price, o.mrp, o.category_id, o.age_min_months,
                        o.age_max_months, o.gender
                    )
                FROM old_rows AS o
            ) AS r
            GROUP BY r.id
            HAVING count(DISTINCT r.listed) > 1
        );
    END IF;
    IF cardinality(v_changed) > 0 THEN
        PERFORM store.write_product_summaries(v_changed);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER products_summary_updated ON store.products;
CREATE TRIGGER products_summary_updated
AFTER UPDATE ON store.products
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.summarize_products();
