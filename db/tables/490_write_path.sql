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
