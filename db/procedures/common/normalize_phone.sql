-- normalize_phone: an Indian mobile number as +91XXXXXXXXXX.
-- Accepts +91XXXXXXXXXX or 10 digits starting 6-9.
-- Raises JK422 validation_error (column phone) for anything else.
CREATE FUNCTION internal.normalize_phone(p_phone text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    IF p_phone ~ '^(\+91)?[6-9][0-9]{9}$' THEN
        RETURN '+91' || right(p_phone, 10);
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'JK422',
        MESSAGE = 'validation_error',
        DETAIL = 'phone must be an Indian mobile number: +91XXXXXXXXXX or 10 digits starting 6-9',
        COLUMN = 'phone';
END
$$;
