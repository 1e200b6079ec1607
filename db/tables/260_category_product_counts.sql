-- Active products per category, counted by the database itself: triggers on store.products
-- keep each row equal to the number of active products whose category_id it is (the
-- category's own products; each sub-category has its own row). GET /products/categories/ and
-- the total of a product list filtered by nothing but a category read these few rows instead
-- of counting the catalog.
CREATE TABLE store.category_product_counts (
    category_id integer PRIMARY KEY REFERENCES store.categories (id) ON DELETE CASCADE,
    active_products integer NOT NULL
);

COMMENT ON TABLE store.category_product_counts IS
'Active products per category (its own, not its sub-categories''), kept by triggers on store.products.';
COMMENT ON COLUMN store.category_product_counts.category_id IS 'The category.';
COMMENT ON COLUMN store.category_product_counts.active_products IS
'Active products whose category_id is this one; written only by the triggers.';

-- Statement-level triggers with transition tables: a bulk load or a bulk switch-off changes
-- each category's row once, rows are locked in category id order (so two statements never
-- wait for each other in a circle), and an update that changes neither category_id nor
-- is_active (a sale raising sales_count) writes nothing. Each adds its net change with one
-- upsert. (No CHECK (active_products >= 0): PostgreSQL checks the row to insert, a negative
-- change, before it finds the conflict; db/tests/category_product_counts/ checks the counts.)
CREATE FUNCTION store.count_category_products()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO store.category_product_counts AS c (category_id, active_products)
        SELECT n.category_id, count(*)
        FROM new_rows AS n
        WHERE n.is_active
        GROUP BY n.category_id
        ORDER BY n.category_id
        ON CONFLICT (category_id) DO UPDATE
        SET active_products = c.active_products + excluded.active_products;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO store.category_product_counts AS c (category_id, active_products)
        SELECT o.category_id, -count(*)
        FROM old_rows AS o
        WHERE o.is_active
        GROUP BY o.category_id
        ORDER BY o.category_id
        ON CONFLICT (category_id) DO UPDATE
        SET active_products = c.active_products + excluded.active_products;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO store.category_product_counts AS c (category_id, active_products)
        SELECT d.category_id, sum(d.change)
        FROM (
            SELECT n.category_id, 1 AS change FROM new_rows AS n WHERE n.is_active
            UNION ALL
            SELECT o.category_id, -1 AS change FROM old_rows AS o WHERE o.is_active
        ) AS d
        GROUP BY d.category_id
        HAVING sum(d.change) <> 0
        ORDER BY d.category_id
        ON CONFLICT (category_id) DO UPDATE
        SET active_products = c.active_products + excluded.active_products;
    ELSE  -- TRUNCATE
        DELETE FROM store.category_product_counts;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.count_category_products() IS
'Trigger of store.products: keeps store.category_product_counts equal to the active products per category.';

CREATE TRIGGER products_count_inserted
AFTER INSERT ON store.products
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.count_category_products();

CREATE TRIGGER products_count_updated
AFTER UPDATE ON store.products
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.count_category_products();

CREATE TRIGGER products_count_deleted
AFTER DELETE ON store.products
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.count_category_products();

CREATE TRIGGER products_count_truncated
AFTER TRUNCATE ON store.products
FOR EACH STATEMENT EXECUTE FUNCTION store.count_category_products();

-- The products already there (the triggers, created first, hold off writers until commit).
INSERT INTO store.category_product_counts (category_id, active_products)
SELECT
    p.category_id,
    count(*) AS active_products
FROM store.products AS p
WHERE p.is_active
GROUP BY p.category_id;
