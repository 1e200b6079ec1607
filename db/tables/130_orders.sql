-- Orders with frozen prices (paise) and a snapshot of the delivery address.
CREATE TABLE store.orders (
    user_id bigint NOT NULL REFERENCES store.users (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    status text NOT NULL DEFAULT 'pending_payment',
    address_id bigint NOT NULL,
    address jsonb NOT NULL,
    coupon_id integer REFERENCES store.coupons (id),
    coupon_code text,
    subtotal bigint NOT NULL,
    discount bigint NOT NULL DEFAULT 0,
    shipping bigint NOT NULL DEFAULT 0,
    total bigint NOT NULL,
    currency text NOT NULL DEFAULT 'INR',
    payment_due_at timestamptz NOT NULL,
    cancel_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, address_id) REFERENCES store.addresses (user_id, id),
    CONSTRAINT orders_status_valid CHECK (status IN (
        'pending_payment', 'confirmed', 'packed', 'shipped', 'delivered', 'cancelled',
        'refunded', 'partially_refunded', 'payment_failed', 'expired'
    )),
    CONSTRAINT orders_address_is_object CHECK (jsonb_typeof(address) = 'object'),
    CONSTRAINT orders_money_non_negative CHECK (
        subtotal >= 0 AND discount >= 0 AND shipping >= 0 AND total >= 0
    ),
    CONSTRAINT orders_discount_within_subtotal CHECK (discount <= subtotal),
    CONSTRAINT orders_total_adds_up CHECK (total = subtotal - discount + shipping),
    CONSTRAINT orders_currency_inr CHECK (currency = 'INR'),
    CONSTRAINT orders_coupon_code_with_coupon CHECK ((coupon_id IS NULL) = (coupon_code IS NULL))
);

CREATE INDEX orders_user_created_at ON store.orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_user_address ON store.orders (user_id, address_id);
CREATE INDEX orders_coupon_id ON store.orders (coupon_id);
-- The sweeper finds unpaid orders whose payment window has passed.
CREATE INDEX orders_pending_payment_due ON store.orders (payment_due_at)
WHERE status = 'pending_payment';
-- Staff routes look an order up by id alone.
CREATE INDEX orders_id ON store.orders (id);

COMMENT ON TABLE store.orders IS
'Orders. Amounts are frozen at creation; status moves only along the graph in update_order_status.';
COMMENT ON COLUMN store.orders.user_id IS 'Buyer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.orders.id IS 'Order id, unique across all users.';
COMMENT ON COLUMN store.orders.status IS
'Order state; the graph is in update_order_status (API.md lists the statuses).';
COMMENT ON COLUMN store.orders.address_id IS 'The address chosen at checkout.';
COMMENT ON COLUMN store.orders.address IS 'Snapshot of that address at checkout (never changes).';
COMMENT ON COLUMN store.orders.coupon_id IS 'Coupon redeemed by this order, if any.';
COMMENT ON COLUMN store.orders.coupon_code IS 'Its code as applied.';
COMMENT ON COLUMN store.orders.subtotal IS 'Sum of line totals in paise.';
COMMENT ON COLUMN store.orders.discount IS 'Coupon discount in paise.';
COMMENT ON COLUMN store.orders.shipping IS 'Shipping charge in paise.';
COMMENT ON COLUMN store.orders.total IS 'subtotal - discount + shipping, in paise: what is paid.';
COMMENT ON COLUMN store.orders.currency IS 'Always INR.';
COMMENT ON COLUMN store.orders.payment_due_at IS
'Stock stays reserved until then; unpaid after it, the order expires.';
COMMENT ON COLUMN store.orders.cancel_reason IS 'Reason given on cancellation.';
COMMENT ON COLUMN store.orders.created_at IS 'When the order was placed.';
COMMENT ON COLUMN store.orders.updated_at IS 'Last status change.';
