-- check_limit: validates the page size of a keyset-paginated list (the staff lists: a cursor
-- and a limit, where check_page serves the numbered pages).
-- Raises JK422 validation_error (column limit) unless it is 1..100. Returns it.
CREATE FUNCTION internal.check_limit(p_limit integer)
RETURNS integer
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'limit',
            DETAIL = 'limit must be between 1 and 100';
    END IF;
    RETURN p_limit;
END
$$;
