-- One cart per user, created on first use; checkout empties it.
CREATE TABLE store.carts (
    user_id bigint NOT NULL REFERENCES store.users (id) ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    coupon_id integer REFERENCES store.coupons (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id),
    CONSTRAINT carts_one_per_user UNIQUE (user_id)
);

CREATE INDEX carts_coupon_id ON store.carts (coupon_id);

COMMENT ON TABLE store.carts IS 'The shopping cart of a user (one per user).';
COMMENT ON COLUMN store.carts.user_id IS 'Owner; part of the key so the table shards by user.';
COMMENT ON COLUMN store.carts.id IS 'Cart id.';
COMMENT ON COLUMN store.carts.coupon_id IS 'Coupon attached by apply_coupon; redeemed by the order.';
COMMENT ON COLUMN store.carts.created_at IS 'When the cart was first used.';
COMMENT ON COLUMN store.carts.updated_at IS 'Last change to the cart or its lines.';
