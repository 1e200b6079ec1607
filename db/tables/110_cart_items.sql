-- Lines of a cart. unit_price is the price seen when the line was added, so that validation
-- can report price_changed.
CREATE TABLE store.cart_items (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    cart_id bigint NOT NULL,
    product_id bigint NOT NULL REFERENCES store.products (id),
    quantity integer NOT NULL,
    unit_price bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, cart_id) REFERENCES store.carts (user_id, id) ON DELETE CASCADE,
    CONSTRAINT cart_items_one_line_per_product UNIQUE (user_id, cart_id, product_id),
    CONSTRAINT cart_items_quantity_positive CHECK (quantity > 0),
    CONSTRAINT cart_items_unit_price_non_negative CHECK (unit_price >= 0)
);

CREATE INDEX cart_items_product_id ON store.cart_items (product_id);

COMMENT ON TABLE store.cart_items IS 'Cart lines: one per product, quantity capped by add_to_cart.';
COMMENT ON COLUMN store.cart_items.user_id IS 'Owner; part of the key so the table shards by user.';
COMMENT ON COLUMN store.cart_items.id IS 'Cart line id.';
COMMENT ON COLUMN store.cart_items.cart_id IS 'The cart.';
COMMENT ON COLUMN store.cart_items.product_id IS 'The product.';
COMMENT ON COLUMN store.cart_items.quantity IS 'Units wanted (1 or more).';
COMMENT ON COLUMN store.cart_items.unit_price IS 'Price in paise when the line was added.';
COMMENT ON COLUMN store.cart_items.created_at IS 'When the line was added.';
COMMENT ON COLUMN store.cart_items.updated_at IS 'Last quantity change.';
