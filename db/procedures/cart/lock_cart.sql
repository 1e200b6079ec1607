-- lock_cart: the user's cart id, creating the cart on first use (one cart per user).
-- Locks the cart row (the upsert's DO UPDATE) until the transaction ends, so one user's
-- concurrent cart changes (two tabs adding the same product) run one after the other and each
-- sees the lines the previous one committed. Every cart-changing procedure calls it first;
-- create_order should too, before it reads and empties the cart.
CREATE FUNCTION internal.lock_cart(p_user_id bigint)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    INSERT INTO store.carts AS c (user_id) VALUES (p_user_id)
    ON CONFLICT (user_id) DO UPDATE SET updated_at = now()
    RETURNING c.id
$$;
