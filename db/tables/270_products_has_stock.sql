-- Whether a product has units on hand, on the product itself, so that the in_stock filter of
-- GET /products is read from a products index instead of looking up store.inventory for every
-- candidate. A trigger on store.inventory keeps it equal to on_hand > 0 (reserved units
-- included); it changes only when a product's stock crosses zero. Reservations are not in it:
-- in_stock (api.list_products_query) asks api.available_stock about the few products that
-- hold active reservations.
ALTER TABLE store.products ADD COLUMN has_stock boolean NOT NULL DEFAULT FALSE;

COMMENT ON COLUMN store.products.has_stock IS
'store.inventory.on_hand > 0 (reserved units included); kept by a trigger on store.inventory.';

-- Stock added for many products at once (a bulk load) marks them in one statement.
CREATE FUNCTION store.mark_stock_added()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE store.products AS p SET has_stock = TRUE
    FROM new_rows AS n
    WHERE p.id = n.product_id AND n.on_hand > 0 AND NOT p.has_stock;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.mark_stock_added() IS
'Trigger of store.inventory: sets store.products.has_stock for the rows added with units.';

CREATE TRIGGER inventory_has_stock_added
AFTER INSERT ON store.inventory
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.mark_stock_added();

-- A row whose on_hand crosses zero, or is deleted. Row-level with a WHEN: the many updates
-- that leave units on hand (a sale, a restock) do not call it.
CREATE FUNCTION store.mark_stock_changed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE store.products SET has_stock = FALSE WHERE id = OLD.product_id;
    ELSE
        UPDATE store.products SET has_stock = NEW.on_hand > 0 WHERE id = NEW.product_id;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.mark_stock_changed() IS
'Trigger of store.inventory: sets store.products.has_stock when on_hand crosses zero or the row is deleted.';

CREATE TRIGGER inventory_has_stock_changed
AFTER UPDATE OF on_hand ON store.inventory
FOR EACH ROW
WHEN ((old.on_hand > 0) <> (new.on_hand > 0))
EXECUTE FUNCTION store.mark_stock_changed();

CREATE TRIGGER inventory_has_stock_deleted
AFTER DELETE ON store.inventory
FOR EACH ROW
WHEN (old.on_hand > 0)
EXECUTE FUNCTION store.mark_stock_changed();

-- TRUNCATE fires no row trigger: no product has stock after it.
CREATE FUNCTION store.mark_stock_truncated()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE store.products SET has_stock = FALSE WHERE has_stock;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.mark_stock_truncated() IS
'Trigger of store.inventory: clears store.products.has_stock when the inventory is truncated.';

CREATE TRIGGER inventory_has_stock_truncated
AFTER TRUNCATE ON store.inventory
FOR EACH STATEMENT EXECUTE FUNCTION store.mark_stock_truncated();

-- The stock already there (the triggers, created first, hold off writers until commit).
UPDATE store.products AS p SET has_stock = TRUE
FROM store.inventory AS i
WHERE p.id = i.product_id AND i.on_hand > 0;
