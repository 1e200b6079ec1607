-- check_page: validates pagination and returns the row offset of the page.
-- Raises JK422 validation_error (column page or page_size): page >= 1, page_size 1..100.
CREATE FUNCTION internal.check_page(p_page integer, p_page_size integer)
RETURNS integer
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    IF p_page IS NULL OR p_page < 1 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'page starts at 1', COLUMN = 'page';
    END IF;
    IF p_page_size IS NULL OR p_page_size NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'page_size must be between 1 and 100', COLUMN = 'page_size';
    END IF;
    -- bigint arithmetic: a huge page number must not overflow before it is refused below.
    IF (p_page::bigint - 1) * p_page_size > 2147483647 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'page is too large', COLUMN = 'page';
    END IF;
    RETURN (p_page - 1) * p_page_size;
END
$$;
