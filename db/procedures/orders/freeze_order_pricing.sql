-- freeze_order_pricing: copies the cart's lines onto the order with the product's current name
-- and price, and sets the order's amounts, all in paise, with the cart's arithmetic (cart_body):
--   line_total = unit_price * quantity, subtotal = sum of line totals,
--   discount   = coupon_discount(coupon, subtotal) (0 without a coupon),
--   shipping   = shipping_fee(subtotal - discount), cod_fee = cod_fee() for a cash-on-delivery
--   order (0 otherwise), total = subtotal - discount + shipping + cod_fee.
-- From then on the order never looks at the catalog again: a later price change or rename
-- leaves it as it was. The coupon is only priced here; create_order redeems it
-- (redeem_coupon re-checks it under its row lock and must arrive at the same discount).
-- Internal, in create_order's transaction. Locks nothing beyond the rows it writes.
-- Returns the order row.
CREATE FUNCTION internal.freeze_order_pricing(
    p_user_id bigint, p_order_id bigint, p_cart_id bigint, p_coupon store.coupons
)
RETURNS store.orders
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_subtotal bigint;
    v_discount bigint := 0;
    v_order store.orders;
BEGIN
    INSERT INTO store.order_items (
        user_id, order_id, product_id, product_name, unit_price, quantity, line_total
    )
    SELECT p_user_id, p_order_id, p.id, p.name, p.price, ci.quantity, p.price * ci.quantity
    FROM store.cart_items AS ci
    INNER JOIN store.products AS p ON p.id = ci.product_id
    WHERE ci.user_id = p_user_id AND ci.cart_id = p_cart_id
    ORDER BY p.id;

    SELECT coalesce(sum(oi.line_total), 0)::bigint INTO v_subtotal
    FROM store.order_items AS oi
    WHERE oi.user_id = p_user_id AND oi.order_id = p_order_id;
    IF p_coupon.id IS NOT NULL THEN
        v_discount := internal.coupon_discount(p_coupon, v_subtotal);
    END IF;

    UPDATE store.orders AS o
    SET subtotal = v_subtotal, discount = v_discount,
        shipping = internal.shipping_fee(v_subtotal - v_discount),
        cod_fee = CASE WHEN o.payment_method = 'cod' THEN internal.cod_fee() ELSE 0 END,
        total = v_subtotal - v_discount + internal.shipping_fee(v_subtotal - v_discount)
            + CASE WHEN o.payment_method = 'cod' THEN internal.cod_fee() ELSE 0 END,
        updated_at = now()
    WHERE o.user_id = p_user_id AND o.id = p_order_id
    RETURNING o.* INTO v_order;
    RETURN v_order;
END
$$;
