-- Each product's summary as every list shows it (api.product_summary), written when the
-- product or its pictures change instead of at every read: all of it but in_stock, which
-- moves with every reservation and is added at read time. Building the 11 keys at every read
-- (jsonb_build_object turns each number into text and back) cost about 30 % of a page of 20
-- summaries (backend CPU 0.34 -> 0.24 ms reading them from here). This file is the one
-- definition of the summary's fields and of the thumbnail (the picture at the first
-- position, NULL without one); a change to them goes in a new file that replaces
-- store.write_product_summaries and rewrites every row. Rows for inactive products too (a
-- cart still shows them); deleting a product deletes its row (cascade).
CREATE TABLE store.product_summaries (
    product_id bigint PRIMARY KEY REFERENCES store.products (id) ON DELETE CASCADE,
    summary jsonb NOT NULL
);

COMMENT ON TABLE store.product_summaries IS
'Every key of a product''s list summary but in_stock, one row per product; kept by triggers.';
COMMENT ON COLUMN store.product_summaries.product_id IS 'The product.';
COMMENT ON COLUMN store.product_summaries.summary IS
'id, name, slug, brand, price, mrp, image_url (first picture), category_id, age range, gender.';

-- The summaries of the given products, from their rows and pictures now (none for products
-- that no longer exist). Unchanged summaries are not rewritten.
CREATE FUNCTION store.write_product_summaries(p_product_ids bigint[])
RETURNS void
LANGUAGE sql
AS $$
    INSERT INTO store.product_summaries AS s (product_id, summary)
    SELECT
        p.id,
        jsonb_build_object(
            'id', p.id, 'name', p.name, 'slug', p.slug, 'brand', p.brand,
            'price', p.price, 'mrp', p.mrp,
            'image_url', (
                SELECT img.url FROM store.product_images AS img
                WHERE img.product_id = p.id
                ORDER BY img.position
                LIMIT 1
            ),
            'category_id', p.category_id,
            'age_min_months', p.age_min_months, 'age_max_months', p.age_max_months,
            'gender', p.gender
        )
    FROM store.products AS p
    WHERE p.id = any(p_product_ids)
    ORDER BY p.id  -- rows locked in id order: two writers never wait for each other in a circle
    ON CONFLICT (product_id) DO UPDATE SET summary = excluded.summary
    WHERE s.summary IS DISTINCT FROM excluded.summary
$$;

COMMENT ON FUNCTION store.write_product_summaries(bigint[]) IS
'Writes the store.product_summaries rows of the given products from their current rows and pictures.';

-- Products added (one statement for a bulk load), and products whose summary's columns
-- changed: row-level with a WHEN, so that a sale (sales_count) or an edit of the description
-- does not call it.
CREATE FUNCTION store.summarize_products()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        PERFORM store.write_product_summaries(array(SELECT n.id FROM new_rows AS n));
    ELSE
        PERFORM store.write_product_summaries(ARRAY[NEW.id]);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.summarize_products() IS
'Trigger of store.products: writes the summaries of products added or whose listed columns changed.';

CREATE TRIGGER products_summary_inserted
AFTER INSERT ON store.products
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.summarize_products();

CREATE TRIGGER products_summary_updated
AFTER UPDATE ON store.products
FOR EACH ROW
WHEN (
    (old.name, old.slug, old.brand, old.price, old.mrp, old.category_id)
    IS DISTINCT FROM (new.name, new.slug, new.brand, new.price, new.mrp, new.category_id)
    OR (old.age_min_months, old.age_max_months, old.gender)
    IS DISTINCT FROM (new.age_min_months, new.age_max_months, new.gender)
)
EXECUTE FUNCTION store.summarize_products();

-- Pictures added, changed or removed: the thumbnail of their products may have changed.
-- Statement-level, so that a bulk load of pictures rewrites each product once.
CREATE FUNCTION store.summarize_pictured_products()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM store.write_product_summaries(array(SELECT DISTINCT n.product_id FROM new_rows AS n));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM store.write_product_summaries(array(
            SELECT n.product_id FROM new_rows AS n
            UNION
            SELECT o.product_id FROM old_rows AS o
        ));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM store.write_product_summaries(array(SELECT DISTINCT o.product_id FROM old_rows AS o));
    ELSE  -- TRUNCATE: no product has a picture any more
        PERFORM store.write_product_summaries(array(SELECT p.id FROM store.products AS p));
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.summarize_pictured_products() IS
'Trigger of store.product_images: rewrites the summaries (thumbnail) of the products whose pictures changed.';

CREATE TRIGGER product_images_summary_inserted
AFTER INSERT ON store.product_images
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.summarize_pictured_products();

CREATE TRIGGER product_images_summary_updated
AFTER UPDATE ON store.product_images
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.summarize_pictured_products();

CREATE TRIGGER product_images_summary_deleted
AFTER DELETE ON store.product_images
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.summarize_pictured_products();

CREATE TRIGGER product_images_summary_truncated
AFTER TRUNCATE ON store.product_images
FOR EACH STATEMENT EXECUTE FUNCTION store.summarize_pictured_products();

-- The products already there (the triggers, created first, hold off writers until commit).
SELECT store.write_product_summaries(array(SELECT p.id FROM store.products AS p));
