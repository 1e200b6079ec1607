-- Test factories for the cart, inventory and coupon suites, in schema `tests` (loaded after
-- factories.sql, whose helpers it uses). Idempotent, like factories.sql. The rows these make
-- skip the procedures' checks on purpose (a line at a stale price, a coupon already used up),
-- so that each test can set up exactly the state it is about.

SET client_min_messages = warning;

-- A coupon with a unique code ('TEST<n>' unless given), valid since yesterday, unlimited, flat
-- ₹50 unless told otherwise. Returns the coupon id.
CREATE OR REPLACE FUNCTION tests.make_coupon(
    p_code text DEFAULT NULL,
    p_discount_type text DEFAULT 'flat',
    p_discount_value bigint DEFAULT 5000,
    p_max_discount bigint DEFAULT NULL,
    p_min_order_value bigint DEFAULT 0,
    p_valid_from timestamptz DEFAULT now() - interval '1 day',
    p_valid_until timestamptz DEFAULT NULL,
    p_is_active boolean DEFAULT TRUE,
    p_usage_limit integer DEFAULT NULL,
    p_used_count integer DEFAULT 0,
    p_per_user_limit integer DEFAULT NULL,
    p_first_order_only boolean DEFAULT FALSE,
    p_description text DEFAULT 'Test coupon'
)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_id integer;
BEGIN
    INSERT INTO store.coupons (
        code, description, discount_type, discount_value, max_discount, min_order_value,
        valid_from, valid_until, is_active, usage_limit, used_count, per_user_limit,
        first_order_only
    )
    VALUES (
        coalesce(p_code, 'TEST' || tests.next_serial()), p_description, p_discount_type,
        p_discount_value, p_max_discount, p_min_order_value, p_valid_from, p_valid_until,
        p_is_active, p_usage_limit, p_used_count, p_per_user_limit, p_first_order_only
    )
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- The code of a coupon.
CREATE OR REPLACE FUNCTION tests.coupon_code(p_coupon_id integer)
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
    SELECT c.code FROM store.coupons AS c WHERE c.id = p_coupon_id
$$;

-- A coupon row, for the procedures that take one.
CREATE OR REPLACE FUNCTION tests.coupon(p_coupon_id integer)
RETURNS store.coupons
LANGUAGE sql
VOLATILE
AS $$
    SELECT c.* FROM store.coupons AS c WHERE c.id = p_coupon_id
$$;

-- A cart line written directly (no stock or cap check), in the user's cart (created when
-- missing), at the product's current price unless p_unit_price is given. Returns the line id.
CREATE OR REPLACE FUNCTION tests.make_cart_line(
    p_user_id bigint,
    p_product_id bigint,
    p_quantity integer DEFAULT 1,
    p_unit_price bigint DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_cart_id bigint;
    v_id bigint;
BEGIN
    INSERT INTO store.carts (user_id) VALUES (p_user_id) ON CONFLICT (user_id) DO NOTHING;
    SELECT c.id INTO v_cart_id FROM store.carts AS c WHERE c.user_id = p_user_id;
    INSERT INTO store.cart_items (user_id, cart_id, product_id, quantity, unit_price)
    SELECT p_user_id, v_cart_id, p.id, p_quantity, coalesce(p_unit_price, p.price)
    FROM store.products AS p
    WHERE p.id = p_product_id
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- Attaches a coupon to the user's cart (created when missing) without checking it.
CREATE OR REPLACE FUNCTION tests.attach_coupon(p_user_id bigint, p_coupon_id integer)
RETURNS void
LANGUAGE sql
VOLATILE
AS $$
    INSERT INTO store.carts (user_id, coupon_id) VALUES (p_user_id, p_coupon_id)
    ON CONFLICT (user_id) DO UPDATE SET coupon_id = excluded.coupon_id
$$;

-- The quantity of a cart line of a user, NULL when the line is gone.
CREATE OR REPLACE FUNCTION tests.line_quantity(p_user_id bigint, p_item_id bigint)
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    SELECT ci.quantity FROM store.cart_items AS ci WHERE ci.user_id = p_user_id AND ci.id = p_item_id
$$;

-- An unpaid order of a user with one line per product, inserted in the order given (so a test
-- can insert the same products in opposite orders), at the products' current names and prices.
-- Returns the order id.
CREATE OR REPLACE FUNCTION tests.make_order_with_lines(
    p_user_id bigint,
    p_product_ids bigint[],
    p_quantities integer[],
    p_status text DEFAULT 'pending_payment'
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_order_id bigint := tests.make_order(p_user_id, p_status => p_status);
    v_index integer;
BEGIN
    FOR v_index IN 1 .. coalesce(array_length(p_product_ids, 1), 0) LOOP
        INSERT INTO store.order_items (
            user_id, order_id, product_id, product_name, unit_price, quantity, line_total
        )
        SELECT p_user_id, v_order_id, p.id, p.name, p.price, p_quantities[v_index],
            p.price * p_quantities[v_index]
        FROM store.products AS p
        WHERE p.id = p_product_ids[v_index];
    END LOOP;
    RETURN v_order_id;
END
$$;

-- The reservation of an order for a product (NULL fields when there is none).
CREATE OR REPLACE FUNCTION tests.reservation(p_user_id bigint, p_order_id bigint, p_product_id bigint)
RETURNS store.inventory_locks
LANGUAGE sql
VOLATILE
AS $$
    SELECT l.*
    FROM store.inventory_locks AS l
    WHERE l.user_id = p_user_id AND l.order_id = p_order_id AND l.product_id = p_product_id
$$;

-- Moves an order's reservations p_by into the past (created_at and expires_at), as if that much
-- time had passed. Returns the number moved.
CREATE OR REPLACE FUNCTION tests.age_reservations(p_user_id bigint, p_order_id bigint, p_by interval)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE store.inventory_locks
    SET created_at = created_at - p_by, expires_at = expires_at - p_by
    WHERE user_id = p_user_id AND order_id = p_order_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- Units on hand of a product (NULL without an inventory row).
CREATE OR REPLACE FUNCTION tests.on_hand(p_product_id bigint)
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    SELECT i.on_hand FROM store.inventory AS i WHERE i.product_id = p_product_id
$$;

-- A product's sales_count: its units sold as of the last refresh_popularity.
CREATE OR REPLACE FUNCTION tests.sales_count(p_product_id bigint)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    SELECT p.sales_count FROM store.products AS p WHERE p.id = p_product_id
$$;

-- Units sold of a product (store.inventory.units_sold; NULL without an inventory row).
CREATE OR REPLACE FUNCTION tests.units_sold(p_product_id bigint)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    SELECT i.units_sold FROM store.inventory AS i WHERE i.product_id = p_product_id
$$;

-- A use of a coupon by a user on a fresh order of theirs, recorded as redeem_coupon would
-- (a redeemed use also counts in used_count). Returns the order id.
CREATE OR REPLACE FUNCTION tests.make_redemption(
    p_user_id bigint,
    p_coupon_id integer,
    p_status text DEFAULT 'redeemed'
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_order_id bigint := tests.make_order(p_user_id);
BEGIN
    INSERT INTO store.coupon_usage (user_id, coupon_id, order_id, discount, status, rolled_back_at)
    VALUES (
        p_user_id, p_coupon_id, v_order_id, 0, p_status,
        CASE WHEN p_status = 'rolled_back' THEN now() END
    );
    IF p_status = 'redeemed' THEN
        UPDATE store.coupons SET used_count = used_count + 1 WHERE id = p_coupon_id;
    END IF;
    RETURN v_order_id;
END
$$;

-- The used_count of a coupon.
CREATE OR REPLACE FUNCTION tests.used_count(p_coupon_id integer)
RETURNS integer
LANGUAGE sql
VOLATILE
AS $$
    SELECT c.used_count FROM store.coupons AS c WHERE c.id = p_coupon_id
$$;

-- The issue codes of a validate_cart_before_checkout answer, in the order listed.
CREATE OR REPLACE FUNCTION tests.issue_codes(p_result jsonb)
RETURNS text[]
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT coalesce(array_agg(i.issue ->> 'code' ORDER BY i.ordinal), '{}')
    FROM jsonb_array_elements(p_result -> 'issues') WITH ORDINALITY AS i (issue, ordinal)
$$;

-- The issue with a code of a validate_cart_before_checkout answer (the first), NULL if none.
CREATE OR REPLACE FUNCTION tests.issue(p_result jsonb, p_code text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT i.issue
    FROM jsonb_array_elements(p_result -> 'issues') WITH ORDINALITY AS i (issue, ordinal)
    WHERE i.issue ->> 'code' = p_code
    ORDER BY i.ordinal
    LIMIT 1
$$;
