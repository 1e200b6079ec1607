-- Products of the catalog (a reference table when sharded). Prices in paise.
CREATE TABLE store.products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id integer NOT NULL REFERENCES store.categories (id),
    name text NOT NULL,
    slug text NOT NULL,
    brand text NOT NULL,
    description text NOT NULL DEFAULT '',
    price bigint NOT NULL,
    mrp bigint NOT NULL,
    age_min_months smallint NOT NULL DEFAULT 0,
    age_max_months smallint NOT NULL DEFAULT 216,
    gender text NOT NULL DEFAULT 'unisex',
    is_active boolean NOT NULL DEFAULT TRUE,
    sales_count bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A')
        || setweight(to_tsvector('english', brand), 'B')
        || setweight(to_tsvector('english', description), 'C')
    ) STORED,
    CONSTRAINT products_slug_key UNIQUE (slug),
    CONSTRAINT products_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT products_brand_length CHECK (char_length(brand) BETWEEN 1 AND 100),
    CONSTRAINT products_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    CONSTRAINT products_price_non_negative CHECK (price >= 0),
    CONSTRAINT products_mrp_not_below_price CHECK (mrp >= price),
    CONSTRAINT products_age_range CHECK (
        age_min_months >= 0 AND age_max_months >= age_min_months AND age_max_months <= 216
    ),
    CONSTRAINT products_gender_valid CHECK (gender IN ('boy', 'girl', 'unisex')),
    CONSTRAINT products_sales_count_non_negative CHECK (sales_count >= 0)
);

-- Catalog filters and sorts only ever look at active products.
CREATE INDEX products_category_id ON store.products (category_id);
CREATE INDEX products_active_price ON store.products (price, id) WHERE is_active;
CREATE INDEX products_active_brand ON store.products (lower(brand)) WHERE is_active;
CREATE INDEX products_active_age ON store.products (age_min_months, age_max_months)
WHERE is_active;
CREATE INDEX products_active_newest ON store.products (created_at DESC, id DESC)
WHERE is_active;
CREATE INDEX products_active_popularity ON store.products (sales_count DESC, id)
WHERE is_active;
CREATE INDEX products_search_vector ON store.products USING gin (search_vector);

COMMENT ON TABLE store.products IS
'Catalog products. Only active ones are listed or sold; stock lives in store.inventory.';
COMMENT ON COLUMN store.products.id IS 'Product id.';
COMMENT ON COLUMN store.products.category_id IS 'The (most specific) category of the product.';
COMMENT ON COLUMN store.products.name IS 'Display name.';
COMMENT ON COLUMN store.products.slug IS 'URL-safe unique name.';
COMMENT ON COLUMN store.products.brand IS 'Brand; filter matches it case-insensitively.';
COMMENT ON COLUMN store.products.description IS 'Long description, searched with weight C.';
COMMENT ON COLUMN store.products.price IS 'Selling price in paise.';
COMMENT ON COLUMN store.products.mrp IS 'Maximum retail price in paise (never below price).';
COMMENT ON COLUMN store.products.age_min_months IS 'Youngest suitable age, in months.';
COMMENT ON COLUMN store.products.age_max_months IS 'Oldest suitable age, in months (max 216).';
COMMENT ON COLUMN store.products.gender IS 'boy, girl or unisex; unisex matches either filter.';
COMMENT ON COLUMN store.products.is_active IS 'Inactive products answer 404 and are not listed.';
COMMENT ON COLUMN store.products.sales_count IS
'Units sold; sort=popularity orders by it. Maintained by decrease_inventory.';
COMMENT ON COLUMN store.products.created_at IS 'When the product was added; sort=newest.';
COMMENT ON COLUMN store.products.updated_at IS 'Last change to the product.';
COMMENT ON COLUMN store.products.search_vector IS
'Full-text document: name (A), brand (B), description (C), english configuration.';
