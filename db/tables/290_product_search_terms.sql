-- The words of active products, each with the rank its product gets when a search is that one
-- word: ts_rank_cd(search_vector, that word), computed by PostgreSQL when the product is
-- written, and the number of active products with each word. A one-word search (the usual
-- kind) then reads its page in relevance order from the index (lexeme, rank DESC, product_id)
-- and its total from one row, instead of ranking and counting every match at each request.
-- Searches of several words use products.search_vector. Kept by triggers on store.products;
-- deleting a product deletes its rows (cascade).
CREATE TABLE store.product_search_terms (
    product_id bigint NOT NULL REFERENCES store.products (id) ON DELETE CASCADE,
    lexeme text NOT NULL,
    rank real NOT NULL,
    PRIMARY KEY (product_id, lexeme)
);

CREATE INDEX product_search_terms_lexeme_rank ON store.product_search_terms (
    lexeme, rank DESC, product_id
);

COMMENT ON TABLE store.product_search_terms IS
'One row per lexeme of each active product''s search_vector, with its one-word rank; kept by triggers.';
COMMENT ON COLUMN store.product_search_terms.product_id IS 'The (active) product.';
COMMENT ON COLUMN store.product_search_terms.lexeme IS 'A lexeme of the product''s search_vector.';
COMMENT ON COLUMN store.product_search_terms.rank IS
'ts_rank_cd(search_vector, the lexeme as a tsquery): the product''s relevance for that one word.';

-- Active products per lexeme: the total of a one-word search. Kept by statement-level
-- triggers on store.product_search_terms, each adding its net change per lexeme with one
-- upsert, in lexeme order.
CREATE TABLE store.search_term_counts (
    lexeme text PRIMARY KEY,
    active_products integer NOT NULL
);

COMMENT ON TABLE store.search_term_counts IS
'Rows of store.product_search_terms per lexeme (active products with the word); kept by triggers.';
COMMENT ON COLUMN store.search_term_counts.lexeme IS 'A lexeme.';
COMMENT ON COLUMN store.search_term_counts.active_products IS
'Active products whose search_vector has the lexeme; written only by the triggers.';

CREATE FUNCTION store.count_search_terms()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO store.search_term_counts AS c (lexeme, active_products)
        SELECT n.lexeme, count(*) FROM new_rows AS n GROUP BY n.lexeme ORDER BY n.lexeme
        ON CONFLICT (lexeme) DO UPDATE
        SET active_products = c.active_products + excluded.active_products;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO store.search_term_counts AS c (lexeme, active_products)
        SELECT o.lexeme, -count(*) FROM old_rows AS o GROUP BY o.lexeme ORDER BY o.lexeme
        ON CONFLICT (lexeme) DO UPDATE
        SET active_products = c.active_products + excluded.active_products;
    ELSE  -- TRUNCATE
        DELETE FROM store.search_term_counts;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.count_search_terms() IS
'Trigger of store.product_search_terms: keeps store.search_term_counts equal to its rows per lexeme.';

CREATE TRIGGER product_search_terms_count_inserted
AFTER INSERT ON store.product_search_terms
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.count_search_terms();

CREATE TRIGGER product_search_terms_count_deleted
AFTER DELETE ON store.product_search_terms
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.count_search_terms();

CREATE TRIGGER product_search_terms_count_truncated
AFTER TRUNCATE ON store.product_search_terms
FOR EACH STATEMENT EXECUTE FUNCTION store.count_search_terms();

-- The rows of the given products, from their current search_vector; none for inactive ones.
-- The one-lexeme tsquery is the lexeme written as a tsvector and read back as a tsquery:
-- both types quote a lexeme the same way, so any lexeme comes back exactly.
CREATE FUNCTION store.add_product_search_terms(p_product_ids bigint[])
RETURNS void
LANGUAGE sql
AS $$
    INSERT INTO store.product_search_terms (product_id, lexeme, rank)
    SELECT
        p.id,
        t.lexeme,
        ts_rank_cd(p.search_vector, array_to_tsvector(ARRAY[t.lexeme])::text::tsquery)
    FROM store.products AS p
    CROSS JOIN LATERAL unnest(p.search_vector) AS t
    WHERE p.id = any(p_product_ids) AND p.is_active
$$;

COMMENT ON FUNCTION store.add_product_search_terms(bigint[]) IS
'Writes the store.product_search_terms rows of the given products (none for inactive ones).';

-- Statement-level with transition tables: a bulk load or a bulk edit rewrites its products'
-- rows with one DELETE and one INSERT, so each lexeme's count changes once per statement; an
-- update that changes neither the text nor is_active (a sale raising sales_count) writes
-- nothing. The changed products are found by grouping old and new rows by id, not by a join:
-- PL/pgSQL keeps its plans, and a join planned for a one-row sale would be reused for a bulk
-- edit of thousands of rows.
CREATE FUNCTION store.index_product_search_terms()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_changed bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        v_changed := array(SELECT n.id FROM new_rows AS n WHERE n.is_active);
    ELSE
        v_changed := array(
            SELECT r.id
            FROM (
                SELECT n.id, n.is_active, n.search_vector FROM new_rows AS n
                UNION ALL
                SELECT o.id, o.is_active, o.search_vector FROM old_rows AS o
            ) AS r
            GROUP BY r.id
            HAVING count(DISTINCT (r.is_active, r.search_vector::text)) > 1
        );
        DELETE FROM store.product_search_terms WHERE product_id = any(v_changed);
    END IF;
    IF cardinality(v_changed) > 0 THEN
        PERFORM store.add_product_search_terms(v_changed);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION store.index_product_search_terms() IS
'Trigger of store.products: rewrites the search terms of products added or whose text or is_active changed.';

CREATE TRIGGER products_search_terms_inserted
AFTER INSERT ON store.products
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.index_product_search_terms();

CREATE TRIGGER products_search_terms_updated
AFTER UPDATE ON store.products
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION store.index_product_search_terms();

-- The products already there (the triggers, created first, hold off writers until commit).
SELECT store.add_product_search_terms(array(SELECT p.id FROM store.products AS p));
