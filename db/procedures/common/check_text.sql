-- check_text: a free-text field as it will be stored: trimmed, NULL when an optional field is
-- blank. Raises JK422 validation_error naming p_column when a required field is missing or
-- blank, or when the text is longer than p_max_length characters.
CREATE FUNCTION internal.check_text(
    p_value text, p_column text, p_max_length integer, p_required boolean DEFAULT TRUE
)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
AS $$
DECLARE
    v_value text := nullif(btrim(p_value, E' \t\r\n'), '');
BEGIN
    IF v_value IS NULL AND p_required THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = p_column,
            DETAIL = format('%s must not be blank', p_column);
    END IF;
    IF char_length(v_value) > p_max_length THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = p_column,
            DETAIL = format('%s must be at most %s characters', p_column, p_max_length);
    END IF;
    RETURN v_value;
END
$$;
