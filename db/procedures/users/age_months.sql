-- age_months: whole months from a birth date to today (current_date, in the database's UTC
-- time zone): 0 until the first monthly birthday. Computed at read time, never stored.
CREATE FUNCTION internal.age_months(p_date_of_birth date)
RETURNS integer
LANGUAGE sql
STABLE
AS $$
    SELECT (extract(YEAR FROM a.span) * 12 + extract(MONTH FROM a.span))::integer
    FROM age(current_date::timestamp, p_date_of_birth::timestamp) AS a (span)
$$;
