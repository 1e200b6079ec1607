-- admin_coupon_body: a coupon as staff see it: every column of store.coupons ("id", "code",
-- "description", "discount_type", "discount_value", "max_discount", "min_order_value",
-- "valid_from", "valid_until", "is_active", "usage_limit", "used_count", "per_user_limit",
-- "first_order_only", "created_at"). Locks nothing.
CREATE FUNCTION internal.admin_coupon_body(p_coupon store.coupons)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT to_jsonb(p_coupon)
$$;
