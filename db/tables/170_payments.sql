-- The payment of an order (one per order; each try at the gateway is a payment_attempt).
-- amount_refunded can never exceed amount_captured: the refund cap is a constraint.
CREATE TABLE store.payments (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    gateway text NOT NULL,
    gateway_order_id text NOT NULL,
    gateway_payment_id text,
    status text NOT NULL DEFAULT 'created',
    amount bigint NOT NULL,
    currency text NOT NULL DEFAULT 'INR',
    amount_captured bigint NOT NULL DEFAULT 0,
    amount_refunded bigint NOT NULL DEFAULT 0,
    captured_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id),
    CONSTRAINT payments_one_per_order UNIQUE (user_id, order_id),
    CONSTRAINT payments_gateway_order_id_key UNIQUE (gateway_order_id),
    CONSTRAINT payments_gateway_payment_id_key UNIQUE (gateway_payment_id),
    CONSTRAINT payments_gateway_valid CHECK (gateway IN ('mock', 'razorpay')),
    CONSTRAINT payments_status_valid CHECK (status IN ('created', 'captured', 'failed')),
    CONSTRAINT payments_amount_minimum CHECK (amount >= 100),
    CONSTRAINT payments_currency_inr CHECK (currency = 'INR'),
    CONSTRAINT payments_captured_amount CHECK (
        amount_captured IN (0, amount) AND (status = 'captured') = (amount_captured > 0)
    ),
    CONSTRAINT payments_refund_within_captured CHECK (
        amount_refunded >= 0 AND amount_refunded <= amount_captured
    ),
    CONSTRAINT payments_captured_at CHECK ((status = 'captured') = (captured_at IS NOT NULL))
);

COMMENT ON TABLE store.payments IS
'One payment per order. Captured at most once; refunds never exceed the captured amount.';
COMMENT ON COLUMN store.payments.user_id IS 'Payer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.payments.id IS 'Payment id.';
COMMENT ON COLUMN store.payments.order_id IS 'The order paid for.';
COMMENT ON COLUMN store.payments.gateway IS 'mock (offline, Razorpay-compatible) or razorpay.';
COMMENT ON COLUMN store.payments.gateway_order_id IS
'Gateway order id (order_...); the signature is checked against this stored value.';
COMMENT ON COLUMN store.payments.gateway_payment_id IS 'Gateway payment id (pay_...) once captured.';
COMMENT ON COLUMN store.payments.status IS 'created, captured or failed (last attempt failed).';
COMMENT ON COLUMN store.payments.amount IS 'Amount asked, in paise: the order total.';
COMMENT ON COLUMN store.payments.currency IS 'Always INR.';
COMMENT ON COLUMN store.payments.amount_captured IS 'Paise captured: 0 or amount.';
COMMENT ON COLUMN store.payments.amount_refunded IS
'Paise refunded or being refunded; never above amount_captured.';
COMMENT ON COLUMN store.payments.captured_at IS 'When the capture was recorded.';
COMMENT ON COLUMN store.payments.created_at IS 'When payment was initiated.';
COMMENT ON COLUMN store.payments.updated_at IS 'Last change.';
