-- Catalog change notifications: the database tells the catalog cache what may have changed,
-- on channel catalog_changes (LISTEN catalog_changes), so that no cached answer is served long
-- after the change. Two payloads:
--   product:<id>  something GET /products/{id} (api.get_product) shows of product <id> may have
--                 changed: its row's shown columns, its pictures, its available stock (on hand,
--                 reservations made, released, consumed or deleted).
--   catalog       something a list may show differently: GET /products (api.list_products, its
--                 items, filters, sorts and totals) or GET /products/categories/ (the tree and
--                 its counts). Also sent for any category change, which product details show
--                 too (the category's name): the cache drops every entry on it, details included.
-- NOTIFY is delivered at commit, each distinct payload once per transaction: a rolled-back
-- change notifies nothing, and a price change of 10,000 products sends 10,000 product:<id> and
-- one catalog. LISTEN on the primary: a hot standby delivers nothing.
-- Not notified, by design: a sale's sales_count (sort=popularity keeps its older order until the
-- cache entry expires; otherwise every order would empty the list cache), updated_at, and a
-- reservation lapsing at expires_at, which writes nothing: the sweeper's release (every minute)
-- notifies it.
-- Trigger functions only, no table: these run in every checkout, so they stay cheap (row-level
-- with WHEN where a hot path writes; one query for the products a statement moved).

-- Products: a change of a shown column, an insert, a delete (catalog for each, a product:<id>
-- per product). Statement-level for inserts and deletes (bulk loads), row-level for updates.
CREATE FUNCTION store.notify_product_changes()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('catalog_changes', 'product:' || n.id) FROM new_rows AS n;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('catalog_changes', 'product:' || o.id) FROM old_rows AS o;
    ELSE  -- UPDATE, one row (id is GENERATED ALWAYS: it never changes)
        PERFORM pg_notify('catalog_changes', 'product:' || NEW.id);
    END IF;
    IF FOUND THEN  -- a statement that touched no row sends nothing
        PERFORM pg_notify('catalog_changes', 'catalog');
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.notify_product_changes() IS
'Trigger of store.products: notifies catalog_changes product:<id> and catalog (db/tables/370).';

CREATE TRIGGER products_notify_inserted
AFTER INSERT ON store.products
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_product_changes();

CREATE TRIGGER products_notify_deleted
AFTER DELETE ON store.products
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_product_changes();

-- The columns the catalog shows, filters or sorts on, listed twice: UPDATE OF skips the WHEN
-- for an update that sets none of them (a sale sets sales_count: no comparison of a long
-- description at every order), the WHEN skips an update that sets one to its old value.
-- Not listed: id (never changes), sales_count, updated_at, and search_vector, which is
-- generated from name, brand and description. db/tests/catalog_changes/ fails for a new
-- column until it is placed in one list or the other.
CREATE TRIGGER products_notify_updated
AFTER UPDATE OF
category_id, name, slug, brand, description, price, mrp, age_min_months, age_max_months, gender,
is_active, created_at, has_stock
ON store.products
FOR EACH ROW
WHEN (
    (old.category_id, old.name, old.slug, old.brand, old.description, old.price, old.mrp)
    IS DISTINCT FROM (new.category_id, new.name, new.slug, new.brand, new.description, new.price, new.mrp)
    OR (old.age_min_months, old.age_max_months, old.gender, old.is_active, old.created_at)
    IS DISTINCT FROM (new.age_min_months, new.age_max_months, new.gender, new.is_active, new.created_at)
    OR old.has_stock IS DISTINCT FROM new.has_stock
)
EXECUTE FUNCTION store.notify_product_changes();

-- Anything else that drops what lists show at once: TRUNCATE (no row trigger fires) and every
-- category change.
CREATE FUNCTION store.notify_catalog_changed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('catalog_changes', 'catalog');
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.notify_catalog_changed() IS
'Trigger: notifies catalog_changes catalog (db/tables/370).';

CREATE TRIGGER products_notify_truncated
AFTER TRUNCATE ON store.products
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_catalog_changed();

-- Row-level: a statement that changes no category sends nothing; categories are few.
CREATE TRIGGER categories_notify_inserted
AFTER INSERT ON store.categories
FOR EACH ROW EXECUTE FUNCTION store.notify_catalog_changed();

CREATE TRIGGER categories_notify_updated
AFTER UPDATE ON store.categories
FOR EACH ROW
WHEN (old.* IS DISTINCT FROM new.*)
EXECUTE FUNCTION store.notify_catalog_changed();

CREATE TRIGGER categories_notify_deleted
AFTER DELETE ON store.categories
FOR EACH ROW EXECUTE FUNCTION store.notify_catalog_changed();

CREATE TRIGGER categories_notify_truncated
AFTER TRUNCATE ON store.categories
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_catalog_changed();

-- Pictures: product:<id> for each product whose pictures a statement added, changed or
-- removed. Lists show one of them, the thumbnail, from store.product_summaries: its change is
-- notified below, so a picture behind the first one leaves the list cache alone.
CREATE FUNCTION store.notify_pictures_changed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('catalog_changes', 'product:' || n.product_id) FROM new_rows AS n;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM pg_notify('catalog_changes', 'product:' || r.product_id)
        FROM (
            SELECT n.product_id FROM new_rows AS n
            UNION
            SELECT o.product_id FROM old_rows AS o
        ) AS r;
    ELSE  -- DELETE
        PERFORM pg_notify('catalog_changes', 'product:' || o.product_id) FROM old_rows AS o;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.notify_pictures_changed() IS
'Trigger of store.product_images: notifies catalog_changes product:<id> (db/tables/370).';

CREATE TRIGGER product_images_notify_inserted
AFTER INSERT ON store.product_images
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_pictures_changed();

CREATE TRIGGER product_images_notify_updated
AFTER UPDATE ON store.product_images
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_pictures_changed();

CREATE TRIGGER product_images_notify_deleted
AFTER DELETE ON store.product_images
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_pictures_changed();

CREATE TRIGGER product_images_notify_truncated
AFTER TRUNCATE ON store.product_images
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_catalog_changed();

-- A list item's stored summary changed (its thumbnail, after a picture change; a product edit
-- notifies catalog itself). store.write_product_summaries rewrites only a summary that differs,
-- and inserts or deletes one only with its product, whose triggers notify.
CREATE TRIGGER product_summaries_notify_updated
AFTER UPDATE ON store.product_summaries
FOR EACH ROW
WHEN (old.summary IS DISTINCT FROM new.summary)
EXECUTE FUNCTION store.notify_catalog_changed();

-- Stock: product:<id> for each product given, and catalog when one's available stock may have
-- crossed zero (lists show in_stock and filter on it). Each product comes once, with how much
-- the statement changed its on hand and its counted reservations. After: on hand and
-- reservations now; before: the same minus the changes. Available is the arithmetic of
-- internal.stock_of (on hand minus active, unexpired reservations, floored at 0), repeated here
-- because tables never depend on schema internal; tests/test_catalog_changes.py checks both
-- against it.
CREATE FUNCTION store.notify_stock_moved(
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
        SELECT
        FROM unnest(p_product_ids, p_on_hand_changes, p_reserved_changes)
            AS m (product_id, on_hand_change, reserved_change)
        CROSS JOIN LATERAL (
            SELECT
                coalesce((
                    SELECT i.on_hand FROM store.inventory AS i WHERE i.product_id = m.product_id
                ), 0) AS on_hand,
                coalesce((
                    SELECT sum(l.quantity)
                    FROM store.inventory_locks AS l
                    WHERE l.product_id = m.product_id AND l.status = 'active' AND l.expires_at > now()
                ), 0) AS reserved
        ) AS s
        WHERE (s.on_hand - s.reserved > 0)
            <> (s.on_hand - m.on_hand_change - (s.reserved - m.reserved_change) > 0)
    ) THEN
        PERFORM pg_notify('catalog_changes', 'catalog');
    END IF;
END
$$;

COMMENT ON FUNCTION store.notify_stock_moved(bigint[], bigint[], bigint[]) IS
'Notifies product:<id> for each product, and catalog when one''s available stock crossed zero.';

-- On hand. Rows added or deleted: one call per statement. An update (every sale and restock):
-- row-level, called only when on_hand changed; the row is the product's only one, so the
-- change is exact.
CREATE FUNCTION store.notify_inventory_changed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_moved record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT
            array_agg(n.product_id) AS ids,
            array_agg(n.on_hand::bigint) AS on_hand_changes,
            array_agg(0::bigint) AS reserved_changes
        INTO v_moved
        FROM new_rows AS n;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT
            array_agg(o.product_id) AS ids,
            array_agg(-o.on_hand::bigint) AS on_hand_changes,
            array_agg(0::bigint) AS reserved_changes
        INTO v_moved
        FROM old_rows AS o;
    ELSIF OLD.product_id = NEW.product_id THEN
        SELECT
            ARRAY[NEW.product_id] AS ids,
            ARRAY[NEW.on_hand - OLD.on_hand]::bigint [] AS on_hand_changes,
            ARRAY[0]::bigint [] AS reserved_changes
        INTO v_moved;
    ELSE  -- the row moved to another product: gone from one, added to the other
        SELECT
            ARRAY[OLD.product_id, NEW.product_id] AS ids,
            ARRAY[-OLD.on_hand, NEW.on_hand]::bigint [] AS on_hand_changes,
            ARRAY[0, 0]::bigint [] AS reserved_changes
        INTO v_moved;
    END IF;
    PERFORM store.notify_stock_moved(v_moved.ids, v_moved.on_hand_changes, v_moved.reserved_changes);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.notify_inventory_changed() IS
'Trigger of store.inventory: notifies the stock change of its products (store.notify_stock_moved).';

CREATE TRIGGER inventory_notify_inserted
AFTER INSERT ON store.inventory
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_inventory_changed();

CREATE TRIGGER inventory_notify_updated
AFTER UPDATE OF on_hand, product_id ON store.inventory
FOR EACH ROW
WHEN (old.on_hand <> new.on_hand OR old.product_id <> new.product_id)
EXECUTE FUNCTION store.notify_inventory_changed();

CREATE TRIGGER inventory_notify_deleted
AFTER DELETE ON store.inventory
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_inventory_changed();

CREATE TRIGGER inventory_notify_truncated
AFTER TRUNCATE ON store.inventory
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_catalog_changed();

-- Reservations: statement-level, so that a statement moving several reservations of one
-- product (the sweeper releasing many) is judged once, on its net change: row by row, each row
-- would see the others' changes already made. A reservation counts after the change when it is
-- active and unexpired. Before, it counts when it was active, even if expired: the cache may
-- hold an answer read while it still counted, so its release after expiry may be the moment
-- stock comes back.
CREATE FUNCTION store.notify_reservations_changed()
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
    ELSE  -- UPDATE
        SELECT
            array_agg(c.product_id) AS ids,
            array_agg(0::bigint) AS on_hand_changes,
            array_agg(c.reserved_change) AS reserved_changes
        INTO v_moved
        FROM (
            SELECT
                r.product_id,
                coalesce(sum(r.quantity), 0) AS reserved_change
            FROM (
                SELECT n.product_id, n.quantity FROM new_rows AS n
                WHERE n.status = 'active' AND n.expires_at > now()
                UNION ALL
                SELECT o.product_id, -o.quantity FROM old_rows AS o
                WHERE o.status = 'active'
                UNION ALL  -- every product a row names, counted or not
                SELECT n.product_id, NULL FROM new_rows AS n
                UNION ALL
                SELECT o.product_id, NULL FROM old_rows AS o
            ) AS r
            GROUP BY r.product_id
        ) AS c;
    END IF;
    PERFORM store.notify_stock_moved(v_moved.ids, v_moved.on_hand_changes, v_moved.reserved_changes);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.notify_reservations_changed() IS
'Trigger of store.inventory_locks: notifies the stock change of its products (store.notify_stock_moved).';

CREATE TRIGGER inventory_locks_notify_inserted
AFTER INSERT ON store.inventory_locks
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_reservations_changed();

CREATE TRIGGER inventory_locks_notify_updated
AFTER UPDATE ON store.inventory_locks
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_reservations_changed();

CREATE TRIGGER inventory_locks_notify_deleted
AFTER DELETE ON store.inventory_locks
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_reservations_changed();

CREATE TRIGGER inventory_locks_notify_truncated
AFTER TRUNCATE ON store.inventory_locks
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_catalog_changed();
