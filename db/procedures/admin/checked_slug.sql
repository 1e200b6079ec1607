-- checked_slug: a product's or category's slug as it will be stored: lower-case letters and
-- digits, in words joined by single hyphens, at most 200 characters.
-- Raises JK422 validation_error (column slug). Locks nothing.
CREATE FUNCTION internal.checked_slug(p_slug text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    IF p_slug IS NULL OR p_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR char_length(p_slug) > 200 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = 'slug',
            DETAIL = 'slug must be lower-case letters and digits joined by hyphens (at most 200)';
    END IF;
    RETURN p_slug;
END
$$;
