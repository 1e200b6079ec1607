-- update_me: PUT /users/me. Sets the name and/or the email; a field left out (NULL) keeps its
-- value. The email is trimmed and lower-cased. The phone is the login identity and is not
-- writable (the route refuses any field but name and email).
-- Locks the user's row (UPDATE).
-- Raises JK401 unauthorized; JK422 validation_error (name: blank or over 100 characters;
-- email: not an e-mail address or over 254 characters).
CREATE FUNCTION api.update_me(p_user_id bigint, p_name text DEFAULT NULL, p_email text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    v_name text;
    v_email text := lower(btrim(p_email));
BEGIN
    PERFORM internal.require_user(p_user_id);
    IF p_name IS NOT NULL THEN
        v_name := internal.check_text(p_name, 'name', 100);
    END IF;
    -- The same rule as the users_email_format CHECK, answered as a 422 naming the field.
    IF char_length(v_email) > 254
        OR v_email !~ '^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'email',
            DETAIL = 'email must be an e-mail address such as asha@example.com';
    END IF;

    IF v_name IS NOT NULL OR v_email IS NOT NULL THEN
        UPDATE store.users
        SET name = coalesce(v_name, name), email = coalesce(v_email, email), updated_at = now()
        WHERE id = p_user_id;
    END IF;
    RETURN api.get_me(p_user_id);
END
$$;
