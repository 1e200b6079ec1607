-- delete_address: DELETE /users/me/addresses/{id}. Soft-deletes a live address of the user
-- (deleted_at; the row stays for the orders that used it, which keep their own copy). When it
-- was the default, the most recently created remaining address becomes the default.
-- Answers the remaining addresses, as list_addresses.
-- Locks the user's address book (as create_address) and the address row.
-- Raises JK401 unauthorized, JK404 address_not_found (unknown, already deleted or another
-- user's).
CREATE FUNCTION api.delete_address(p_user_id bigint, p_address_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_was_default boolean;
BEGIN
    PERFORM internal.require_user(p_user_id);
    PERFORM pg_advisory_xact_lock(hashtextextended('addresses:' || p_user_id, 0));
    SELECT a.is_default INTO v_was_default
    FROM store.addresses AS a
    WHERE a.user_id = p_user_id AND a.id = p_address_id AND a.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK404', MESSAGE = 'address_not_found',
            DETAIL = format('No address with id %s', p_address_id);
    END IF;

    UPDATE store.addresses SET deleted_at = now(), is_default = FALSE, updated_at = now()
    WHERE user_id = p_user_id AND id = p_address_id;

    IF v_was_default THEN
        UPDATE store.addresses SET is_default = TRUE, updated_at = now()
        WHERE user_id = p_user_id AND id = (
            SELECT a.id FROM store.addresses AS a
            WHERE a.user_id = p_user_id AND a.deleted_at IS NULL
            ORDER BY a.created_at DESC, a.id DESC
            LIMIT 1
        );
    END IF;
    RETURN api.list_addresses(p_user_id);
END
$$;
