-- Every status change of an order: from, to, who made it and why. Written only by
-- api.transition_order, so an order's history is complete and its status never moves without
-- a row here.
CREATE TABLE store.order_status_history (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    actor text NOT NULL,
    actor_user_id bigint REFERENCES store.users (id),
    reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id) ON DELETE CASCADE,
    CONSTRAINT order_status_history_from_status_valid CHECK (from_status IN (
        'pending_payment', 'confirmed', 'packed', 'shipped', 'delivered', 'cancelled',
        'refunded', 'partially_refunded', 'payment_failed', 'expired'
    )),
    CONSTRAINT order_status_history_to_status_valid CHECK (to_status IN (
        'pending_payment', 'confirmed', 'packed', 'shipped', 'delivered', 'cancelled',
        'refunded', 'partially_refunded', 'payment_failed', 'expired'
    )),
    CONSTRAINT order_status_history_moves CHECK (from_status <> to_status),
    CONSTRAINT order_status_history_actor_valid CHECK (
        actor IN ('customer', 'staff', 'system', 'gateway')
    ),
    CONSTRAINT order_status_history_people_named CHECK (
        (actor IN ('customer', 'staff')) = (actor_user_id IS NOT NULL)
    ),
    CONSTRAINT order_status_history_reason_length CHECK (char_length(reason) <= 500)
);

CREATE INDEX order_status_history_order ON store.order_status_history (user_id, order_id, id);
CREATE INDEX order_status_history_actor_user_id ON store.order_status_history (actor_user_id);

COMMENT ON TABLE store.order_status_history IS
'Audit trail of order status changes, one row per transition (api.transition_order).';
COMMENT ON COLUMN store.order_status_history.user_id IS
'Buyer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.order_status_history.id IS 'Transition id; increases with time.';
COMMENT ON COLUMN store.order_status_history.order_id IS 'The order.';
COMMENT ON COLUMN store.order_status_history.from_status IS 'Status before the change.';
COMMENT ON COLUMN store.order_status_history.to_status IS 'Status after the change.';
COMMENT ON COLUMN store.order_status_history.actor IS
'Who made it: customer (the buyer), staff (a user with is_staff), system (the sweeper) or '
'gateway (a payment or refund event).';
COMMENT ON COLUMN store.order_status_history.actor_user_id IS
'The customer or staff member; NULL for system and gateway.';
COMMENT ON COLUMN store.order_status_history.reason IS 'Why, when given (cancellation reason, staff note).';
COMMENT ON COLUMN store.order_status_history.created_at IS 'When the status changed.';
