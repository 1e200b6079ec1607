-- require_user: the caller of a token-authenticated procedure must still exist.
-- Raises JK401 unauthorized for an unknown user or a closed account (deleted_at set).
CREATE FUNCTION api.require_user(p_user_id bigint)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM store.users WHERE id = p_user_id AND deleted_at IS NULL) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'unauthorized', DETAIL = 'This account no longer exists';
    END IF;
END
$$;
