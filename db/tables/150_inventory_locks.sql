-- Stock reserved for an unpaid order until expires_at. An expired reservation stops counting
-- at once; the sweeper marks it released later.
CREATE TABLE store.inventory_locks (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL REFERENCES store.products (id),
    quantity integer NOT NULL,
    status text NOT NULL DEFAULT 'active',
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    released_at timestamptz,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id) ON DELETE CASCADE,
    CONSTRAINT inventory_locks_one_per_order_product UNIQUE (user_id, order_id, product_id),
    CONSTRAINT inventory_locks_quantity_positive CHECK (quantity > 0),
    CONSTRAINT inventory_locks_status_valid CHECK (status IN ('active', 'released', 'consumed')),
    CONSTRAINT inventory_locks_released_when_not_active CHECK (
        (status = 'active') = (released_at IS NULL)
    )
);

CREATE INDEX inventory_locks_product_id ON store.inventory_locks (product_id);
-- Availability sums the active reservations of a product.
CREATE INDEX inventory_locks_active_product ON store.inventory_locks (product_id)
INCLUDE (quantity, expires_at) WHERE status = 'active';
-- The sweeper finds active reservations past their expiry.
CREATE INDEX inventory_locks_active_expires_at ON store.inventory_locks (expires_at)
WHERE status = 'active';

COMMENT ON TABLE store.inventory_locks IS
'Stock reservations of unpaid orders. Counted while active and unexpired.';
COMMENT ON COLUMN store.inventory_locks.user_id IS 'Buyer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.inventory_locks.id IS 'Reservation id.';
COMMENT ON COLUMN store.inventory_locks.order_id IS 'The order holding the stock.';
COMMENT ON COLUMN store.inventory_locks.product_id IS 'The product reserved.';
COMMENT ON COLUMN store.inventory_locks.quantity IS 'Units reserved.';
COMMENT ON COLUMN store.inventory_locks.status IS
'active (holding stock until expires_at), released (given back) or consumed (sold).';
COMMENT ON COLUMN store.inventory_locks.expires_at IS 'After this the units count as available again.';
COMMENT ON COLUMN store.inventory_locks.created_at IS 'When the stock was reserved.';
COMMENT ON COLUMN store.inventory_locks.released_at IS 'When it was released or consumed.';
