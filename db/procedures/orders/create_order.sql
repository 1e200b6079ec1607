-- create_order: POST /orders. Turns the user's cart into an unpaid order, in one transaction:
--   1. Idempotency-Key: a replay returns the first answer (idempotent_replay);
--   2. lock_cart, then the cart must pass validate_cart_before_checkout (its blocking issues
--      raise: cart_empty, product_not_found for a product no longer sold, insufficient_stock);
--   3. the address (the user's, not deleted) is copied onto the order (address_json), so
--      editing or deleting it later never changes the order; its pincode must be one the
--      store delivers to (delivery_pincode), else JK422 pincode_not_serviceable;
--   4. the coupon: p_coupon_code when given (it must apply), else the cart's coupon when it
--      still applies (one that stopped applying is left out, as the cart already shows);
--   5. freeze_order_pricing copies the lines and prices the order;
--   6. lock_inventory reserves every line until payment_due_at (now + reservation_ttl());
--   7. redeem_coupon uses the coupon (limit-safe under its row lock);
--   8. the cart is emptied and its coupon detached.
-- Locks, in the global order: the cart row, the inventory rows by product id, the coupon row.
-- Raises: JK401 unauthorized, JK409 idempotency_key_in_use, JK422 idempotency_key_reused,
-- JK409 cart_empty, JK404 product_not_found, JK409 insufficient_stock (naming the product),
-- JK404 address_not_found, JK404 coupon_not_found, JK422 coupon_expired,
-- coupon_usage_limit_reached, coupon_already_used, coupon_min_order_not_met; 40001 when the
-- coupon's terms changed between pricing and redemption (the API layer retries the call).
-- Emits order.placed (the outbox). Returns the order (order_body), status pending_payment.
CREATE FUNCTION api.create_order(
    p_user_id bigint,
    p_address_id bigint,
    p_coupon_code text DEFAULT NULL,
    p_idempotency_key text DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_request constant jsonb := jsonb_build_object(
        'address_id', p_address_id, 'coupon_code', p_coupon_code
    );
    v_replay jsonb;
    v_cart_id bigint;
    v_check jsonb;
    v_issue jsonb;
    v_address store.addresses;
    v_coupon store.coupons;
    v_order store.orders;
BEGIN
    PERFORM internal.require_user(p_user_id);
    v_replay := internal.idempotent_replay(p_user_id, 'create_order', p_idempotency_key, v_request);
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;

    v_cart_id := internal.lock_cart(p_user_id);
    v_check := api.validate_cart_before_checkout(p_user_id);
    SELECT i.issue INTO v_issue
    FROM jsonb_array_elements(v_check -> 'issues') WITH ORDINALITY AS i (issue, ordinal)
    WHERE i.issue ->> 'code' IN ('cart_empty', 'product_unavailable', 'out_of_stock', 'insufficient_stock')
    ORDER BY i.ordinal
    LIMIT 1;
    CASE v_issue ->> 'code'
        WHEN 'cart_empty' THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK409', MESSAGE = 'cart_empty', DETAIL = 'Your cart is empty';
        WHEN 'product_unavailable' THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK404', MESSAGE = 'product_not_found', DETAIL = v_issue ->> 'detail';
        WHEN 'out_of_stock', 'insufficient_stock' THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK409', MESSAGE = 'insufficient_stock', DETAIL = v_issue ->> 'detail';
        ELSE
            NULL;
    END CASE;

    SELECT * INTO v_address
    FROM store.addresses AS a
    WHERE a.user_id = p_user_id AND a.id = p_address_id AND a.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'address_not_found',
            DETAIL = format('No address with id %s', p_address_id);
    END IF;
    PERFORM internal.delivery_pincode(v_address.pincode);

    IF p_coupon_code IS NOT NULL THEN
        v_coupon := internal.find_coupon(p_coupon_code);
    ELSE
        SELECT cp.* INTO v_coupon
        FROM store.carts AS c
        INNER JOIN store.coupons AS cp ON cp.id = c.coupon_id
        WHERE c.user_id = p_user_id AND c.id = v_cart_id;
        IF NOT FOUND
            OR internal.coupon_problem(v_coupon, p_user_id, (v_check ->> 'subtotal')::bigint) IS NOT NULL
        THEN
            v_coupon := NULL;
        END IF;
    END IF;

    INSERT INTO store.orders AS o (
        user_id, address_id, address, coupon_id, coupon_code, subtotal, total, payment_due_at
    )
    VALUES (
        p_user_id, v_address.id, internal.address_json(v_address) - 'is_default', v_coupon.id,
        v_coupon.code, 0, 0, now() + internal.reservation_ttl()
    )
    RETURNING o.* INTO v_order;
    v_order := internal.freeze_order_pricing(p_user_id, v_order.id, v_cart_id, v_coupon);
    PERFORM internal.lock_inventory(p_user_id, v_order.id, v_order.payment_due_at);
    IF v_coupon.id IS NOT NULL
        AND internal.redeem_coupon(p_user_id, v_order.id, v_coupon.id, v_order.subtotal) <> v_order.discount
    THEN
        -- The coupon row changed between pricing and its locked redemption: run it all again.
        RAISE EXCEPTION USING
            ERRCODE = '40001', MESSAGE = 'coupon_changed',
            DETAIL = 'The coupon changed while the order was placed';
    END IF;

    PERFORM internal.emit_order_event(v_order, 'order.placed');
    DELETE FROM store.cart_items WHERE user_id = p_user_id AND cart_id = v_cart_id;
    UPDATE store.carts SET coupon_id = NULL, updated_at = now()
    WHERE user_id = p_user_id AND id = v_cart_id;

    RETURN internal.remember_response(
        p_user_id, 'create_order', p_idempotency_key, v_request, internal.order_body(v_order)
    );
END
$$;
