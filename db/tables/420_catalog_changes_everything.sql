-- A third payload on catalog_changes, so that a product's change no longer drops every cached
-- product page: `catalog` (370) now means what lists and the category tree show, and
-- `everything` is sent for the changes every answer may show: a category (product pages show
-- its name) and a TRUNCATE of a catalog table. The cache (app/cache.py) keys lists to catalog
-- and everything, and a product's page to product:<id> and everything, so a price change
-- refreshes that product's page and the lists, and leaves the other pages cached.
CREATE FUNCTION store.notify_everything_changed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('catalog_changes', 'everything');
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.notify_everything_changed() IS
'Trigger of catalog tables: NOTIFY catalog_changes, everything (a category change, a TRUNCATE).';

DROP TRIGGER categories_notify_inserted ON store.categories;
DROP TRIGGER categories_notify_updated ON store.categories;
DROP TRIGGER categories_notify_deleted ON store.categories;
DROP TRIGGER categories_notify_truncated ON store.categories;
DROP TRIGGER products_notify_truncated ON store.products;
DROP TRIGGER product_images_notify_truncated ON store.product_images;
DROP TRIGGER inventory_notify_truncated ON store.inventory;
DROP TRIGGER inventory_locks_notify_truncated ON store.inventory_locks;

-- Row-level: a statement that changes no category sends nothing; categories are few.
CREATE TRIGGER categories_notify_inserted
AFTER INSERT ON store.categories
FOR EACH ROW EXECUTE FUNCTION store.notify_everything_changed();

CREATE TRIGGER categories_notify_updated
AFTER UPDATE ON store.categories
FOR EACH ROW
WHEN (old.* IS DISTINCT FROM new.*)
EXECUTE FUNCTION store.notify_everything_changed();

CREATE TRIGGER categories_notify_deleted
AFTER DELETE ON store.categories
FOR EACH ROW EXECUTE FUNCTION store.notify_everything_changed();

CREATE TRIGGER categories_notify_truncated
AFTER TRUNCATE ON store.categories
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_everything_changed();

-- TRUNCATE fires no row trigger: no product's own payload says what went.
CREATE TRIGGER products_notify_truncated
AFTER TRUNCATE ON store.products
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_everything_changed();

CREATE TRIGGER product_images_notify_truncated
AFTER TRUNCATE ON store.product_images
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_everything_changed();

CREATE TRIGGER inventory_notify_truncated
AFTER TRUNCATE ON store.inventory
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_everything_changed();

CREATE TRIGGER inventory_locks_notify_truncated
AFTER TRUNCATE ON store.inventory_locks
FOR EACH STATEMENT EXECUTE FUNCTION store.notify_everything_changed();
