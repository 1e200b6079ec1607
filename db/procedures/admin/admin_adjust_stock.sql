-- admin_adjust_stock: POST /admin/products/{id}/stock-adjustments. Adds (delta > 0) or removes
-- (delta < 0) units on hand, with a reason (a delivery counted in, units damaged or lost):
-- {"delta": -3, "reason": "damaged in the warehouse"}. On hand never goes below the units
-- unpaid orders reserve now (internal.reserved_stock), which would sell units that are not
-- there, nor below 0. A product without an inventory row gets one. Readers see the change at
-- once (the inventory's triggers notify the cache). Audited as product.stock_adjust with
-- {"on_hand", "reserved"} before and after, and the reason.
-- Concurrency: the product's inventory row is locked (FOR UPDATE) before the reservations are
-- counted, as lock_inventory does before it reserves, so no checkout reserves in between; the
-- UPDATE is conditional on the same bound, and the CHECK on_hand >= 0 backs it.
-- Raises: JK401 unauthorized, JK403 forbidden, JK422 validation_error (delta 0 or beyond
-- +-1,000,000; reason blank or over 500 characters), JK404 product_not_found, JK409
-- stock_below_reserved (units reserved by unpaid orders), JK409 stock_below_zero.
-- Returns {"product_id", "on_hand", "reserved", "available"}.
CREATE FUNCTION api.admin_adjust_stock(
    p_user_id bigint, p_product_id bigint, p_delta integer, p_reason text
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_reason text;
    v_before integer;
    v_reserved integer;
    v_after integer;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    IF p_delta IS NULL OR p_delta = 0 OR abs(p_delta) > 1000000 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'delta',
            DETAIL = 'delta must be a number of units, not 0, between -1000000 and 1000000';
    END IF;
    v_reason := internal.check_text(p_reason, 'reason', 500);
    IF NOT EXISTS (SELECT FROM store.products AS p WHERE p.id = p_product_id) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'product_not_found',
            DETAIL = format('No product with id %s', p_product_id);
    END IF;
    INSERT INTO store.inventory (product_id, on_hand) VALUES (p_product_id, 0)
    ON CONFLICT (product_id) DO NOTHING;
    SELECT i.on_hand INTO v_before FROM store.inventory AS i WHERE i.product_id = p_product_id FOR UPDATE;
    v_reserved := internal.reserved_stock(p_product_id);
    IF v_before::bigint + p_delta < 0 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'stock_below_zero',
            DETAIL = format('Product %s has %s units on hand: %s cannot be removed',
                p_product_id, v_before, -p_delta);
    END IF;
    IF v_before::bigint + p_delta < v_reserved THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'stock_below_reserved',
            DETAIL = format('Product %s has %s units on hand, %s of them reserved by unpaid orders: '
                'at most %s can be removed', p_product_id, v_before, v_reserved, v_before - v_reserved);
    END IF;
    UPDATE store.inventory AS i
    SET on_hand = i.on_hand + p_delta, updated_at = now()
    WHERE i.product_id = p_product_id AND i.on_hand + p_delta >= v_reserved
    RETURNING i.on_hand INTO v_after;
    PERFORM internal.audit(
        p_user_id, 'product.stock_adjust', 'product', p_product_id,
        jsonb_build_object('on_hand', v_before, 'reserved', v_reserved),
        jsonb_build_object('on_hand', v_after, 'reserved', v_reserved),
        v_reason
    );
    RETURN jsonb_build_object(
        'product_id', p_product_id, 'on_hand', v_after, 'reserved', v_reserved,
        'available', internal.available_stock(p_product_id)
    );
END
$$;
