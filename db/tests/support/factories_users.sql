-- Test factories and helpers for the users domain (profile, addresses, children, wishlist),
-- in schema `tests`. Loaded after factories.sql (name order), whose helpers they use.
-- Idempotent: CREATE OR REPLACE, so it may be loaded again.

SET client_min_messages = warning;

-- A date of birth p_months whole months before today (internal.age_months of it is p_months).
CREATE OR REPLACE FUNCTION tests.born_months_ago(p_months integer)
RETURNS date
LANGUAGE sql
STABLE
AS $$
    SELECT (current_date - make_interval(months => p_months))::date
$$;

-- A child of a user, p_age_months old today. Returns the child id.
CREATE OR REPLACE FUNCTION tests.make_child(
    p_user_id bigint,
    p_age_months integer DEFAULT 24,
    p_name text DEFAULT 'Test Child',
    p_gender text DEFAULT 'unspecified'
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO store.children (user_id, name, date_of_birth, gender)
    VALUES (p_user_id, p_name, tests.born_months_ago(p_age_months), p_gender)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- A valid address added through api.create_address (so the default rules apply). Returns the
-- address id.
CREATE OR REPLACE FUNCTION tests.new_address(
    p_user_id bigint,
    p_name text DEFAULT 'Asha Rao',
    p_is_default boolean DEFAULT FALSE
)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    SELECT (api.create_address(
        p_user_id, p_name, '9876543210', '12 MG Road', 'Bengaluru', 'Karnataka', '560001',
        p_line2 => 'Indiranagar', p_landmark => 'Near the metro', p_is_default => p_is_default
    ) ->> 'id')::bigint
$$;

-- The stored row of an address (deleted or not), NULL when there is none.
CREATE OR REPLACE FUNCTION tests.address_row(p_address_id bigint)
RETURNS store.addresses
LANGUAGE sql
VOLATILE
AS $$
    SELECT a.* FROM store.addresses AS a WHERE a.id = p_address_id
$$;

-- The ids of a user's live default addresses (one, or none when there is no live address).
CREATE OR REPLACE FUNCTION tests.default_address_ids(p_user_id bigint)
RETURNS bigint[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT coalesce(array_agg(a.id ORDER BY a.id), '{}')
    FROM store.addresses AS a
    WHERE a.user_id = p_user_id AND a.is_default AND a.deleted_at IS NULL
$$;

-- The stored row of a child, NULL when there is none.
CREATE OR REPLACE FUNCTION tests.child_row(p_child_id bigint)
RETURNS store.children
LANGUAGE sql
VOLATILE
AS $$
    SELECT c.* FROM store.children AS c WHERE c.id = p_child_id
$$;

-- Puts p_quantity units of a product in a user's cart (the cart is made on first use).
CREATE OR REPLACE FUNCTION tests.add_cart_line(
    p_user_id bigint, p_product_id bigint, p_quantity integer DEFAULT 1
)
RETURNS void
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
    INSERT INTO store.carts (user_id) VALUES (p_user_id) ON CONFLICT (user_id) DO NOTHING;
    INSERT INTO store.cart_items (user_id, cart_id, product_id, quantity, unit_price)
    SELECT p_user_id, c.id, p.id, p_quantity, p.price
    FROM store.carts AS c
    CROSS JOIN store.products AS p
    WHERE c.user_id = p_user_id AND p.id = p_product_id;
END
$$;

-- A wishlist entry of a user, saved at p_created_at.
CREATE OR REPLACE FUNCTION tests.make_wishlist_entry(
    p_user_id bigint, p_product_id bigint, p_created_at timestamptz DEFAULT now()
)
RETURNS void
LANGUAGE sql
VOLATILE
AS $$
    INSERT INTO store.wishlists (user_id, product_id, created_at)
    VALUES (p_user_id, p_product_id, p_created_at)
$$;

-- The product ids of a wishlist answer, in the order listed (items carry the product id as id).
CREATE OR REPLACE FUNCTION tests.wishlist_ids(p_user_id bigint)
RETURNS bigint[]
LANGUAGE sql
VOLATILE
AS $$
    SELECT tests.item_ids(api.list_wishlist(p_user_id))
$$;

-- The same texts sorted: for comparing sets of names when the order does not matter.
CREATE OR REPLACE FUNCTION tests.sorted_text(p_texts text[])
RETURNS text[]
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT coalesce(array_agg(t.value ORDER BY t.value), '{}') FROM unnest(p_texts) AS t (value)
$$;
