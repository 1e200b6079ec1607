-- cart_body: the cart as every cart endpoint answers it (docs/api.md "Cart"), money in paise.
-- The one place the cart's arithmetic lives:
--   line_total = unit_price * quantity, subtotal = sum of line totals, item_count = units;
--   discount   = coupon_discount(coupon, subtotal) while the attached coupon passes
--                validate_coupon, else 0 (the coupon stays attached and is still shown);
--   shipping   = shipping_fee(subtotal - discount), 0 for an empty cart;
--   total      = subtotal - discount + shipping, the arithmetic create_order freezes.
-- unit_price is the product's current price: what an order placed now would charge. The price
-- stored on the line (when it was added) is only compared by validate_cart_before_checkout.
-- Lines of products switched off stay listed, with available_quantity 0, and count in the
-- totals: validation reports them as product_unavailable.
-- Locks nothing. A user without a cart gets an empty body with id null.
-- Raises JK401 unauthorized: it answers the API, so it checks its user like every endpoint.
CREATE FUNCTION internal.cart_body(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_cart store.carts;
    v_coupon store.coupons;
    v_items jsonb;
    v_units bigint;
    v_subtotal bigint;
    v_discount bigint := 0;
    v_shipping bigint := 0;
BEGIN
    PERFORM internal.require_user(p_user_id);
    SELECT * INTO v_cart FROM store.carts WHERE user_id = p_user_id;

    SELECT
        coalesce(jsonb_agg(jsonb_build_object(
            'id', ci.id,
            'product_id', p.id,
            'name', p.name,
            'image_url', internal.product_thumbnail(p.id),
            'unit_price', p.price,
            'quantity', ci.quantity,
            'line_total', p.price * ci.quantity,
            'available_quantity', CASE WHEN p.is_active THEN internal.available_stock(p.id) ELSE 0 END
        ) ORDER BY ci.id), '[]'::jsonb),
        coalesce(sum(ci.quantity), 0)::bigint,
        coalesce(sum(p.price * ci.quantity), 0)::bigint
    INTO v_items, v_units, v_subtotal
    FROM store.cart_items AS ci
    INNER JOIN store.products AS p ON p.id = ci.product_id
    WHERE ci.user_id = p_user_id AND ci.cart_id = v_cart.id;

    IF v_cart.coupon_id IS NOT NULL THEN
        SELECT * INTO v_coupon FROM store.coupons WHERE id = v_cart.coupon_id;
        IF internal.coupon_problem(v_coupon, p_user_id, v_subtotal) IS NULL THEN
            v_discount := internal.coupon_discount(v_coupon, v_subtotal);
        END IF;
    END IF;
    IF v_units > 0 THEN
        v_shipping := internal.shipping_fee(v_subtotal - v_discount);
    END IF;

    RETURN jsonb_build_object(
        'id', v_cart.id,
        'items', v_items,
        'item_count', v_units,
        'subtotal', v_subtotal,
        'coupon', CASE WHEN v_coupon.id IS NOT NULL THEN
            jsonb_build_object('code', v_coupon.code, 'description', v_coupon.description)
        END,
        'discount', v_discount,
        'shipping', v_shipping,
        'total', v_subtotal - v_discount + v_shipping,
        'currency', 'INR'
    );
END
$$;
