-- checked_coupon: a coupon's settable columns as they will be stored, validated (the rules of
-- store.coupons, each refused as a validation_error naming its field): what
-- admin_create_coupon and admin_update_coupon (the current row overlaid with the fields sent)
-- write. The code is upper-cased; used_count is never set here (p_used_count: the uses already
-- redeemed, which usage_limit may not go below).
-- Raises JK422 validation_error: code (3-32 letters or digits), description (at most 200),
-- discount_type (percentage, flat), discount_value (1 or more; at most 100 for a percentage),
-- max_discount (1 or more), min_order_value (0 or more), valid_until (after valid_from),
-- usage_limit (1 or more, not below the uses redeemed), per_user_limit (1 or more).
-- Locks nothing. Returns the row (id, used_count and created_at unset).
CREATE FUNCTION internal.checked_coupon(
    p_code text,
    p_description text,
    p_discount_type text,
    p_discount_value bigint,
    p_max_discount bigint,
    p_min_order_value bigint,
    p_valid_from timestamptz,
    p_valid_until timestamptz,
    p_usage_limit integer,
    p_per_user_limit integer,
    p_first_order_only boolean,
    p_is_active boolean,
    p_used_count integer DEFAULT 0
)
RETURNS store.coupons
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_valid_from timestamptz := coalesce(p_valid_from, now());
    v_row store.coupons;
    v_problem text;
    v_column text;
BEGIN
    v_row.code := upper(p_code);
    v_row.description := coalesce(internal.check_text(p_description, 'description', 200, FALSE), '');
    SELECT c.col, c.problem INTO v_column, v_problem
    FROM (
        VALUES
        (1, 'code', 'code must be 3 to 32 letters or digits',
            v_row.code IS NULL OR v_row.code !~ '^[A-Z0-9]{3,32}$'),
        (2, 'discount_type', 'discount_type must be percentage or flat',
            p_discount_type IS NULL OR p_discount_type NOT IN ('percentage', 'flat')),
        (3, 'discount_value', 'discount_value must be 1 or more, and at most 100 for a percentage',
            p_discount_value IS NULL OR p_discount_value < 1
            OR (p_discount_type = 'percentage' AND p_discount_value > 100)),
        (4, 'max_discount', 'max_discount must be 1 paisa or more', p_max_discount < 1),
        (5, 'min_order_value', 'min_order_value must be 0 paise or more',
            p_min_order_value IS NULL OR p_min_order_value < 0),
        (6, 'valid_until', 'valid_until must be after valid_from (default now)',
            p_valid_until <= v_valid_from),
        (7, 'usage_limit', format('usage_limit must be 1 or more, and not below the %s uses redeemed',
            p_used_count), p_usage_limit < greatest(p_used_count, 1)),
        (8, 'per_user_limit', 'per_user_limit must be 1 or more', p_per_user_limit < 1)
    ) AS c (n, col, problem, broken)
    WHERE c.broken
    ORDER BY c.n
    LIMIT 1;
    IF v_column IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = v_column, DETAIL = v_problem;
    END IF;
    v_row.discount_type := p_discount_type;
    v_row.discount_value := p_discount_value;
    v_row.max_discount := p_max_discount;
    v_row.min_order_value := p_min_order_value;
    v_row.valid_from := v_valid_from;
    v_row.valid_until := p_valid_until;
    v_row.usage_limit := p_usage_limit;
    v_row.per_user_limit := p_per_user_limit;
    v_row.first_order_only := coalesce(p_first_order_only, FALSE);
    v_row.is_active := coalesce(p_is_active, TRUE);
    RETURN v_row;
END
$$;
