-- checked_timestamp: an ISO 8601 date and time with its offset (2026-11-20T09:30:00+05:30, or
-- Z) as a timestamptz; NULL stays NULL. Raises JK422 validation_error naming p_column for
-- anything else (an impossible date included). Locks nothing.
CREATE FUNCTION internal.checked_timestamp(p_value text, p_column text)
RETURNS timestamptz
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF p_value IS NULL THEN
        RETURN NULL;
    END IF;
    IF p_value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})$' THEN
        BEGIN
            RETURN p_value::timestamptz;
        EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format OR invalid_time_zone_displacement_value THEN
            NULL;  -- falls through to the refusal below
        END;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'JK422', MESSAGE = 'validation_error', COLUMN = p_column,
        DETAIL = format('%s must be a date and time with its offset, as 2026-11-20T09:30:00+05:30', p_column);
END
$$;
