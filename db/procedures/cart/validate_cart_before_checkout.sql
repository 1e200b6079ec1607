-- validate_cart_before_checkout: POST /cart/validate. Can this cart be ordered as it stands?
-- Issues, each {"item_id", "product_id", "code", "detail"}, lines in cart order:
--   blocking (valid is false while any is present; create_order would fail on them):
--     cart_empty (no lines), product_unavailable (product switched off), out_of_stock
--     (nothing available), insufficient_stock (fewer units available than the line holds);
--   notices (valid stays true; the order is placed as the cart shows it):
--     price_changed (the current price differs from the one stored when the line was added:
--     the cart and the order use the current price), coupon_invalid (the attached coupon no
--     longer applies, so the cart shows no discount for it; its detail says why).
-- item_id and product_id are null for cart_empty and coupon_invalid.
-- Reads only; locks nothing. Raises JK401 unauthorized.
-- Returns {"valid", "issues", "subtotal", "discount", "shipping", "total"} (as cart_body).
CREATE FUNCTION api.validate_cart_before_checkout(p_user_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
STABLE
AS $$
DECLARE
    v_body jsonb;
    v_line record;
    v_coupon store.coupons;
    v_problem text;
    v_issues jsonb := '[]'::jsonb;
    v_valid boolean := TRUE;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_body := internal.cart_body(p_user_id);

    IF (v_body ->> 'item_count')::bigint = 0 THEN
        v_valid := FALSE;
        v_issues := v_issues || jsonb_build_object(
            'item_id', NULL, 'product_id', NULL, 'code', 'cart_empty', 'detail', 'Your cart is empty'
        );
    END IF;

    FOR v_line IN
        SELECT ci.id, ci.quantity, ci.unit_price, p.id AS product_id, p.name, p.price, p.is_active,
            internal.available_stock(p.id) AS available
        FROM store.cart_items AS ci
        INNER JOIN store.carts AS c ON c.user_id = ci.user_id AND c.id = ci.cart_id
        INNER JOIN store.products AS p ON p.id = ci.product_id
        WHERE ci.user_id = p_user_id
        ORDER BY ci.id
    LOOP
        IF NOT v_line.is_active THEN
            v_valid := FALSE;
            v_issues := v_issues || jsonb_build_object(
                'item_id', v_line.id, 'product_id', v_line.product_id, 'code', 'product_unavailable',
                'detail', format('''%s'' is no longer sold; remove it from the cart', v_line.name)
            );
            CONTINUE;
        END IF;
        IF v_line.quantity > v_line.available THEN
            v_valid := FALSE;
            v_issues := v_issues || jsonb_build_object(
                'item_id', v_line.id, 'product_id', v_line.product_id,
                'code', CASE WHEN v_line.available = 0 THEN 'out_of_stock' ELSE 'insufficient_stock' END,
                'detail', internal.insufficient_stock_detail(v_line.name, v_line.available)
            );
        END IF;
        IF v_line.price <> v_line.unit_price THEN
            v_issues := v_issues || jsonb_build_object(
                'item_id', v_line.id, 'product_id', v_line.product_id, 'code', 'price_changed',
                'detail', format('The price of ''%s'' changed from ₹%s to ₹%s', v_line.name,
                    internal.rupees(v_line.unit_price), internal.rupees(v_line.price))
            );
        END IF;
    END LOOP;

    SELECT cp.* INTO v_coupon
    FROM store.carts AS c
    INNER JOIN store.coupons AS cp ON cp.id = c.coupon_id
    WHERE c.user_id = p_user_id;
    IF FOUND THEN
        v_problem := internal.coupon_problem(v_coupon, p_user_id, (v_body ->> 'subtotal')::bigint);
        IF v_problem IS NOT NULL THEN
            v_issues := v_issues || jsonb_build_object(
                'item_id', NULL, 'product_id', NULL, 'code', 'coupon_invalid', 'detail', v_problem
            );
        END IF;
    END IF;

    RETURN jsonb_build_object(
        'valid', v_valid,
        'issues', v_issues,
        'subtotal', v_body -> 'subtotal',
        'discount', v_body -> 'discount',
        'shipping', v_body -> 'shipping',
        'total', v_body -> 'total'
    );
END
$$;
