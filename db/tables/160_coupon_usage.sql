-- Coupon redemptions, one per order; a rolled back use no longer counts.
CREATE TABLE store.coupon_usage (
    user_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    coupon_id integer NOT NULL REFERENCES store.coupons (id),
    order_id bigint NOT NULL,
    discount bigint NOT NULL,
    status text NOT NULL DEFAULT 'redeemed',
    created_at timestamptz NOT NULL DEFAULT now(),
    rolled_back_at timestamptz,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, order_id) REFERENCES store.orders (user_id, id) ON DELETE CASCADE,
    CONSTRAINT coupon_usage_one_per_order UNIQUE (user_id, order_id),
    CONSTRAINT coupon_usage_discount_non_negative CHECK (discount >= 0),
    CONSTRAINT coupon_usage_status_valid CHECK (status IN ('redeemed', 'rolled_back')),
    CONSTRAINT coupon_usage_rolled_back_at CHECK (
        (status = 'rolled_back') = (rolled_back_at IS NOT NULL)
    )
);

-- Per-user limits count a user's redemptions of one coupon.
CREATE INDEX coupon_usage_coupon_user ON store.coupon_usage (coupon_id, user_id);

COMMENT ON TABLE store.coupon_usage IS 'Who redeemed which coupon on which order.';
COMMENT ON COLUMN store.coupon_usage.user_id IS 'Buyer; part of the key so the table shards by user.';
COMMENT ON COLUMN store.coupon_usage.id IS 'Redemption id.';
COMMENT ON COLUMN store.coupon_usage.coupon_id IS 'The coupon.';
COMMENT ON COLUMN store.coupon_usage.order_id IS 'The order it was redeemed on.';
COMMENT ON COLUMN store.coupon_usage.discount IS 'Discount granted, in paise.';
COMMENT ON COLUMN store.coupon_usage.status IS 'redeemed, or rolled_back (cancelled or never paid).';
COMMENT ON COLUMN store.coupon_usage.created_at IS 'When it was redeemed.';
COMMENT ON COLUMN store.coupon_usage.rolled_back_at IS 'When the use was given back.';
