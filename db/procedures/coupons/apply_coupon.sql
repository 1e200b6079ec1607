-- apply_coupon: POST /coupons/apply. Checks a coupon against the user and the cart's current
-- subtotal (validate_coupon), attaches it to the cart (replacing any other) and answers the
-- preview. Attaching uses nothing up: the order redeems the coupon (redeem_coupon).
-- Locks: the cart row (lock_cart).
-- Raises: JK401 unauthorized, JK422 validation_error (blank code), JK404 coupon_not_found
-- (unknown or switched off), JK422 coupon_expired, coupon_usage_limit_reached,
-- coupon_already_used, coupon_min_order_not_met.
-- Returns {"code", "description", "subtotal", "discount", "shipping", "total"}: the cart's own
-- numbers (cart_body), so the preview and the cart always agree.
CREATE FUNCTION api.apply_coupon(p_user_id bigint, p_code text)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_coupon store.coupons;
    v_cart_id bigint;
    v_cart jsonb;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_coupon := internal.find_coupon(p_code);
    v_cart_id := internal.lock_cart(p_user_id);
    PERFORM internal.validate_coupon(
        v_coupon, p_user_id, (internal.cart_body(p_user_id) ->> 'subtotal')::bigint
    );
    UPDATE store.carts SET coupon_id = v_coupon.id WHERE user_id = p_user_id AND id = v_cart_id;

    v_cart := internal.cart_body(p_user_id);
    RETURN jsonb_build_object(
        'code', v_coupon.code,
        'description', v_coupon.description,
        'subtotal', v_cart -> 'subtotal',
        'discount', v_cart -> 'discount',
        'shipping', v_cart -> 'shipping',
        'total', v_cart -> 'total'
    );
END
$$;
