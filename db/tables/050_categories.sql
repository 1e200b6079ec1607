-- The category tree of the catalog (a reference table when sharded).
CREATE TABLE store.categories (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id integer REFERENCES store.categories (id),
    name text NOT NULL,
    slug text NOT NULL,
    position smallint NOT NULL DEFAULT 0,
    is_active boolean NOT NULL DEFAULT TRUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT categories_slug_key UNIQUE (slug),
    CONSTRAINT categories_not_own_parent CHECK (parent_id <> id),
    CONSTRAINT categories_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT categories_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    CONSTRAINT categories_position_non_negative CHECK (position >= 0)
);

CREATE INDEX categories_parent_id ON store.categories (parent_id);

COMMENT ON TABLE store.categories IS
'Catalog categories, a tree through parent_id; filtering by a category includes its descendants.';
COMMENT ON COLUMN store.categories.id IS 'Category id.';
COMMENT ON COLUMN store.categories.parent_id IS 'Parent category; NULL for a top-level one.';
COMMENT ON COLUMN store.categories.name IS 'Display name.';
COMMENT ON COLUMN store.categories.slug IS 'URL-safe unique name.';
COMMENT ON COLUMN store.categories.position IS 'Display order among siblings.';
COMMENT ON COLUMN store.categories.is_active IS 'Inactive categories are hidden from the list.';
COMMENT ON COLUMN store.categories.created_at IS 'When the category was created.';
