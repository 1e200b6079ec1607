-- Refunds, full or partial; their sum is capped by payments.amount_refunded's CHECK.
CREATE TABLE store.refunds (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    payment_id bigint NOT NULL,
    amount bigint NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    reason text NOT NULL,
    restock boolean NOT NULL DEFAULT FALSE,
    gateway_refund_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id),
    FOREIGN KEY (user_id, payment_id) REFERENCES store.payments (user_id, id),
    CONSTRAINT refunds_gateway_refund_id_key UNIQUE (gateway_refund_id),
    CONSTRAINT refunds_amount_positive CHECK (amount > 0),
    CONSTRAINT refunds_status_valid CHECK (status IN ('pending', 'processed', 'failed')),
    CONSTRAINT refunds_reason_length CHECK (char_length(reason) BETWEEN 1 AND 500)
);

CREATE INDEX refunds_order ON store.refunds (user_id, order_id);
CREATE INDEX refunds_payment ON store.refunds (user_id, payment_id);

COMMENT ON TABLE store.refunds IS 'Refunds of captured payments.';
COMMENT ON COLUMN store.refunds.user_id IS 'Payer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.refunds.id IS 'Refund id.';
COMMENT ON COLUMN store.refunds.order_id IS 'The order refunded.';
COMMENT ON COLUMN store.refunds.payment_id IS 'The payment refunded.';
COMMENT ON COLUMN store.refunds.amount IS 'Paise refunded.';
COMMENT ON COLUMN store.refunds.status IS
'pending (asked of the gateway), processed or failed (refund webhooks).';
COMMENT ON COLUMN store.refunds.reason IS 'Why the refund was made.';
COMMENT ON COLUMN store.refunds.restock IS
'True when the goods come back (returned or never shipped): restore_inventory adds them to stock.';
COMMENT ON COLUMN store.refunds.gateway_refund_id IS 'Gateway refund id (rfnd_...).';
COMMENT ON COLUMN store.refunds.created_at IS 'When the refund was asked for.';
COMMENT ON COLUMN store.refunds.processed_at IS 'When the gateway confirmed it.';
