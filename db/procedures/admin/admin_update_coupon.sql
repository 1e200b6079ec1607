-- admin_update_coupon: PATCH /admin/coupons/{id}. Changes only the fields sent (left out or
-- null: unchanged; a limit or an end date can be changed, not removed); the result is
-- validated whole (internal.checked_coupon). is_active false disables the coupon: it can no
-- longer be applied or redeemed; true enables it again. Redemptions already made are never
-- touched: used_count is not written here, orders keep the discount they were given, and
-- usage_limit may not go below the uses already redeemed. The row is locked first, as
-- redeem_coupon locks it, so a redemption at the same moment is counted before or after.
-- Audited as coupon.update with the row before and after (nothing when nothing changed).
-- Locks: the coupon row. Raises: JK401 unauthorized, JK403 forbidden, JK404 coupon_not_found,
-- JK422 validation_error (naming the field), JK409 coupon_code_taken.
-- Returns internal.admin_coupon_body.
CREATE FUNCTION api.admin_update_coupon(
    p_user_id bigint,
    p_coupon_id integer,
    p_code text DEFAULT NULL,
    p_description text DEFAULT NULL,
    p_discount_type text DEFAULT NULL,
    p_discount_value bigint DEFAULT NULL,
    p_max_discount bigint DEFAULT NULL,
    p_min_order_value bigint DEFAULT NULL,
    p_valid_from text DEFAULT NULL,
    p_valid_until text DEFAULT NULL,
    p_usage_limit integer DEFAULT NULL,
    p_per_user_limit integer DEFAULT NULL,
    p_first_order_only boolean DEFAULT NULL,
    p_is_active boolean DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_old store.coupons;
    v_row store.coupons;
    v_new store.coupons;
BEGIN
    PERFORM internal.require_staff(p_user_id);
    SELECT * INTO v_old FROM store.coupons AS c WHERE c.id = p_coupon_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'coupon_not_found',
            DETAIL = format('No coupon with id %s', p_coupon_id);
    END IF;
    v_row := internal.checked_coupon(
        coalesce(p_code, v_old.code), coalesce(p_description, v_old.description),
        coalesce(p_discount_type, v_old.discount_type),
        coalesce(p_discount_value, v_old.discount_value),
        coalesce(p_max_discount, v_old.max_discount),
        coalesce(p_min_order_value, v_old.min_order_value),
        coalesce(internal.checked_timestamp(p_valid_from, 'valid_from'), v_old.valid_from),
        coalesce(internal.checked_timestamp(p_valid_until, 'valid_until'), v_old.valid_until),
        coalesce(p_usage_limit, v_old.usage_limit), coalesce(p_per_user_limit, v_old.per_user_limit),
        coalesce(p_first_order_only, v_old.first_order_only), coalesce(p_is_active, v_old.is_active),
        v_old.used_count
    );
    BEGIN
        UPDATE store.coupons AS c
        SET code = v_row.code, description = v_row.description,
            discount_type = v_row.discount_type, discount_value = v_row.discount_value,
            max_discount = v_row.max_discount, min_order_value = v_row.min_order_value,
            valid_from = v_row.valid_from, valid_until = v_row.valid_until,
            usage_limit = v_row.usage_limit, per_user_limit = v_row.per_user_limit,
            first_order_only = v_row.first_order_only, is_active = v_row.is_active
        WHERE c.id = p_coupon_id
            AND (c.code, c.description, c.discount_type, c.discount_value, c.max_discount,
                c.min_order_value, c.valid_from, c.valid_until, c.usage_limit, c.per_user_limit,
                c.first_order_only, c.is_active)
            IS DISTINCT FROM (v_row.code, v_row.description, v_row.discount_type,
                v_row.discount_value, v_row.max_discount, v_row.min_order_value, v_row.valid_from,
                v_row.valid_until, v_row.usage_limit, v_row.per_user_limit, v_row.first_order_only,
                v_row.is_active)
        RETURNING c.* INTO v_new;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK409', MESSAGE = 'coupon_code_taken', COLUMN = 'code',
            DETAIL = format('Another coupon has the code %s', v_row.code);
    END;
    IF v_new.id IS NULL THEN
        RETURN internal.admin_coupon_body(v_old);
    END IF;
    PERFORM internal.audit(p_user_id, 'coupon.update', 'coupon', p_coupon_id, to_jsonb(v_old), to_jsonb(v_new));
    RETURN internal.admin_coupon_body(v_new);
END
$$;
