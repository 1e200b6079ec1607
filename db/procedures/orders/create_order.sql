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
-- p_payment_method 'cod' (cash on delivery): the order adds the COD fee (cod_fee()), is sold at
-- once (decrease_inventory) and confirmed by the system, with no payment: the courier collects
-- the total. Refused (cod_not_available) when the address's pincode has no COD
-- (store.pincodes.cod_allowed), the total is over cod_limit() or the customer already has
-- cod_open_order_limit() COD orders on the way.
-- Locks, in the global order: the cart row (which also serialises one customer's checkouts, so
-- the count of COD orders on the way cannot race), the inventory rows by product id, the
-- coupon row.
-- Raises: JK401 unauthorized, JK409 idempotency_key_in_use, JK422 idempotency_key_reused,
-- JK409 cart_empty, JK404 product_not_found, JK409 insufficient_stock (naming the product),
-- JK404 address_not_found, JK422 pincode_not_serviceable, JK404 coupon_not_found,
-- JK422 coupon_expired,
-- coupon_usage_limit_reached, coupon_already_used, coupon_min_order_not_met,
-- JK422 validation_error (payment_method not online or cod), JK422 cod_not_available; 40001
-- when the coupon's terms changed between pricing and redemption (the API layer retries).
-- Emits order.placed (the outbox), and order.confirmed for cash on delivery. Returns the order
-- (order_body): pending_payment, or confirmed for cash on delivery.
CREATE FUNCTION api.create_order(
    p_user_id bigint,
    p_address_id bigint,
    p_coupon_code text DEFAULT NULL,
    p_idempotency_key text DEFAULT NULL,
    p_payment_method text DEFAULT 'online'
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    -- An online order's request is what it was before payment methods, so keys stored then
    -- still replay.
    v_request constant jsonb := jsonb_build_object('address_id', p_address_id, 'coupon_code', p_coupon_code)
        || CASE WHEN p_payment_method = 'cod' THEN '{"payment_method": "cod"}'::jsonb ELSE '{}' END;
    v_cod constant boolean := p_payment_method = 'cod';
    v_cod_open integer;
    v_replay jsonb;
    v_cart_id bigint;
    v_check jsonb;
    v_issue jsonb;
    v_address store.addresses;
    v_pincode store.pincodes;
    v_coupon store.coupons;
    v_order store.orders;
BEGIN
    PERFORM internal.require_user(p_user_id);
    IF p_payment_method IS NULL OR p_payment_method NOT IN ('online', 'cod') THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'payment_method',
            DETAIL = 'payment_method must be online or cod';
    END IF;
    v_replay := internal.idempotent_replay(p_user_id, 'create_order', p_idempotency_key, v_request);
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;

    v_cart_id := internal.lock_cart(p_user_id);
    IF v_cod THEN
        SELECT count(*) INTO v_cod_open
        FROM store.orders AS o
        WHERE o.user_id = p_user_id AND o.payment_method = 'cod'
            AND o.status IN ('confirmed', 'packed', 'shipped');
        IF v_cod_open >= internal.cod_open_order_limit() THEN
            RAISE EXCEPTION USING
                ERRCODE = 'JK422', MESSAGE = 'cod_not_available',
                DETAIL = format('You have %s cash-on-delivery orders on the way; pay online, or '
                    'order with cash on delivery again once one has arrived', v_cod_open);
        END IF;
    END IF;
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
    v_pincode := internal.delivery_pincode(v_address.pincode);
    IF v_cod AND NOT v_pincode.cod_allowed THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'cod_not_available',
            DETAIL = format('Cash on delivery is not available at pincode %s', v_address.pincode);
    END IF;

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
        user_id, address_id, address, coupon_id, coupon_code, subtotal, total, payment_due_at,
        payment_method
    )
    VALUES (
        p_user_id, v_address.id, internal.address_json(v_address) - 'is_default', v_coupon.id,
        v_coupon.code, 0, 0, now() + internal.reservation_ttl(), p_payment_method
    )
    RETURNING o.* INTO v_order;
    v_order := internal.freeze_order_pricing(p_user_id, v_order.id, v_cart_id, v_coupon);
    IF v_cod AND v_order.total > internal.cod_limit() THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'cod_not_available',
            DETAIL = format('Cash on delivery is available for orders up to ₹%s; this one is ₹%s',
                internal.rupees(internal.cod_limit()), internal.rupees(v_order.total));
    END IF;
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
    IF v_cod THEN
        PERFORM internal.decrease_inventory(p_user_id, v_order.id);
        v_order := internal.transition_order(
            p_user_id, v_order.id, 'confirmed', 'system', NULL, 'Cash on delivery'
        );
    END IF;
    DELETE FROM store.cart_items WHERE user_id = p_user_id AND cart_id = v_cart_id;
    UPDATE store.carts SET coupon_id = NULL, updated_at = now()
    WHERE user_id = p_user_id AND id = v_cart_id;

    RETURN internal.remember_response(
        p_user_id, 'create_order', p_idempotency_key, v_request, internal.order_body(v_order)
    );
END
$$;
