-- Discount coupons. used_count is the redeemed total, capped by usage_limit in a CHECK.
CREATE TABLE store.coupons (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL,
    description text NOT NULL DEFAULT '',
    discount_type text NOT NULL,
    discount_value bigint NOT NULL,
    max_discount bigint,
    min_order_value bigint NOT NULL DEFAULT 0,
    valid_from timestamptz NOT NULL DEFAULT now(),
    valid_until timestamptz,
    is_active boolean NOT NULL DEFAULT TRUE,
    usage_limit integer,
    used_count integer NOT NULL DEFAULT 0,
    per_user_limit integer,
    first_order_only boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT coupons_code_key UNIQUE (code),
    CONSTRAINT coupons_code_format CHECK (code ~ '^[A-Z0-9]{3,32}$'),
    CONSTRAINT coupons_discount_type_valid CHECK (discount_type IN ('percentage', 'flat')),
    CONSTRAINT coupons_discount_value_range CHECK (
        discount_value > 0 AND (discount_type = 'flat' OR discount_value <= 100)
    ),
    CONSTRAINT coupons_max_discount_positive CHECK (max_discount > 0),
    CONSTRAINT coupons_min_order_value_non_negative CHECK (min_order_value >= 0),
    CONSTRAINT coupons_validity_window CHECK (valid_until > valid_from),
    CONSTRAINT coupons_usage_limit_positive CHECK (usage_limit > 0),
    CONSTRAINT coupons_used_count_within_limit CHECK (
        used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit)
    ),
    CONSTRAINT coupons_per_user_limit_positive CHECK (per_user_limit > 0)
);

COMMENT ON TABLE store.coupons IS
'Coupons: percentage or flat, with limits. A reference table when sharded.';
COMMENT ON COLUMN store.coupons.id IS 'Coupon id.';
COMMENT ON COLUMN store.coupons.code IS 'Code the customer types, upper case (matched case-blind).';
COMMENT ON COLUMN store.coupons.description IS 'What the customer is told the coupon does.';
COMMENT ON COLUMN store.coupons.discount_type IS 'percentage (of the subtotal) or flat (paise).';
COMMENT ON COLUMN store.coupons.discount_value IS 'Percent (1-100) or paise, by discount_type.';
COMMENT ON COLUMN store.coupons.max_discount IS 'Cap on the discount in paise; NULL: no cap.';
COMMENT ON COLUMN store.coupons.min_order_value IS 'Subtotal in paise needed to use it.';
COMMENT ON COLUMN store.coupons.valid_from IS 'Usable from this time.';
COMMENT ON COLUMN store.coupons.valid_until IS 'Usable until this time; NULL: no end.';
COMMENT ON COLUMN store.coupons.is_active IS 'Switched-off coupons cannot be applied.';
COMMENT ON COLUMN store.coupons.usage_limit IS 'Total redemptions allowed; NULL: unlimited.';
COMMENT ON COLUMN store.coupons.used_count IS
'Redemptions so far (rolled back ones excluded); never above usage_limit.';
COMMENT ON COLUMN store.coupons.per_user_limit IS 'Redemptions allowed per user; NULL: unlimited.';
COMMENT ON COLUMN store.coupons.first_order_only IS 'Only for a user with no earlier paid order.';
COMMENT ON COLUMN store.coupons.created_at IS 'When the coupon was created.';
