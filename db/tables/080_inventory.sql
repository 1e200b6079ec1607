-- Stock on hand per product. Reservations for unpaid orders live in store.inventory_locks;
-- available = on_hand - active unexpired reservations.
CREATE TABLE store.inventory (
    product_id bigint PRIMARY KEY REFERENCES store.products (id) ON DELETE CASCADE,
    on_hand integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT inventory_on_hand_non_negative CHECK (on_hand >= 0)
);

COMMENT ON TABLE store.inventory IS
'Units physically in the warehouse per product. Row-locked by every stock change.';
COMMENT ON COLUMN store.inventory.product_id IS 'The product.';
COMMENT ON COLUMN store.inventory.on_hand IS
'Units on hand, including those reserved by unpaid orders; never negative.';
COMMENT ON COLUMN store.inventory.updated_at IS 'Last stock change.';
