-- Products a user saved for later; adding twice is a no-op.
CREATE TABLE store.wishlists (
    user_id bigint NOT NULL REFERENCES store.users (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES store.products (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

CREATE INDEX wishlists_product_id ON store.wishlists (product_id);

COMMENT ON TABLE store.wishlists IS 'Wishlist entries: a user saved a product.';
COMMENT ON COLUMN store.wishlists.user_id IS 'Owner; part of the key so the table shards by user.';
COMMENT ON COLUMN store.wishlists.product_id IS 'The saved product.';
COMMENT ON COLUMN store.wishlists.created_at IS 'When it was saved.';
