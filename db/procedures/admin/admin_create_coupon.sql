-- admin_create_coupon: POST /admin/coupons. A new coupon (internal.checked_coupon; the code
-- upper-cased), valid from valid_from (default now) until valid_until (default: no end),
-- active unless is_active is false, used 0 times. Audited as coupon.create.
-- Locks nothing beyond the new row. Raises: JK401 unauthorized, JK403 forbidden, JK422
-- validation_error (naming the field), JK409 coupon_code_taken.
-- Returns internal.admin_coupon_body.
CREATE FUNCTION api.admin_create_coupon(
    p_user_id bigint,
    p_code text,
    p_discount_type text,
    p_discount_value bigint,
    p_description text DEFAULT NULL,
    p_max_discount bigint DEFAULT NULL,
    p_min_order_value bigint DEFAULT 0,
    p_valid_from text DEFAULT NULL,
    p_valid_until text DEFAULT NULL,
    p_usage_limit integer DEFAULT NULL,
    p_per_user_limit integer DEFAULT NULL,
    p_first_order_only boolean DEFAULT FALSE,
    p_is_active boolean DEFAULT TRUE
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_row store.coupons;
    v_new store.coupons;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    v_row := internal.checked_coupon(
        p_code, p_description, p_discount_type, p_discount_value, p_max_discount,
        coalesce(p_min_order_value, 0), internal.checked_timestamp(p_valid_from, 'valid_from'),
        internal.checked_timestamp(p_valid_until, 'valid_until'), p_usage_limit, p_per_user_limit,
        p_first_order_only, p_is_active
    );
    BEGIN
        INSERT INTO store.coupons AS c (
            code, description, discount_type, discount_value, max_discount, min_order_value,
            valid_from, valid_until, is_active, usage_limit, per_user_limit, first_order_only
        )
        VALUES (
            v_row.code, v_row.description, v_row.discount_type, v_row.discount_value,
            v_row.max_discount, v_row.min_order_value, v_row.valid_from, v_row.valid_until,
            v_row.is_active, v_row.usage_limit, v_row.per_user_limit, v_row.first_order_only
        )
        RETURNING c.* INTO v_new;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'coupon_code_taken', COLUMN = 'code',
            DETAIL = format('Another coupon has the code %s', v_row.code);
    END;
    PERFORM internal.audit(p_user_id, 'coupon.create', 'coupon', v_new.id, NULL, to_jsonb(v_new));
    RETURN internal.admin_coupon_body(v_new);
END
$$;
