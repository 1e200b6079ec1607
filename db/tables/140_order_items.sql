-- Order lines with the name and price frozen at checkout.
CREATE TABLE store.order_items (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL REFERENCES store.products (id),
    product_name text NOT NULL,
    unit_price bigint NOT NULL,
    quantity integer NOT NULL,
    line_total bigint NOT NULL,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id) ON DELETE CASCADE,
    CONSTRAINT order_items_one_line_per_product UNIQUE (user_id, order_id, product_id),
    CONSTRAINT order_items_unit_price_non_negative CHECK (unit_price >= 0),
    CONSTRAINT order_items_quantity_positive CHECK (quantity > 0),
    CONSTRAINT order_items_line_total_adds_up CHECK (line_total = unit_price * quantity)
);

CREATE INDEX order_items_product_id ON store.order_items (product_id);

COMMENT ON TABLE store.order_items IS 'Order lines, frozen by freeze_order_pricing.';
COMMENT ON COLUMN store.order_items.user_id IS 'Buyer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.order_items.id IS 'Line id.';
COMMENT ON COLUMN store.order_items.order_id IS 'The order.';
COMMENT ON COLUMN store.order_items.product_id IS 'The product bought.';
COMMENT ON COLUMN store.order_items.product_name IS 'Product name at checkout.';
COMMENT ON COLUMN store.order_items.unit_price IS 'Unit price in paise at checkout.';
COMMENT ON COLUMN store.order_items.quantity IS 'Units bought.';
COMMENT ON COLUMN store.order_items.line_total IS 'unit_price * quantity, in paise.';
