-- financial_year: the Indian financial year (1 April to 31 March) of a moment, by its date in
-- Asia/Kolkata, as '2026-27'. 2027-03-31 23:59 IST is in 2026-27, 2027-04-01 00:00 IST in
-- 2027-28. Reads nothing.
CREATE FUNCTION internal.financial_year(p_at timestamptz)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT format('%s-%s', y.start_year, lpad(((y.start_year + 1) % 100)::text, 2, '0'))
    FROM (
        SELECT
            extract(YEAR FROM d.day)::integer - CASE WHEN extract(MONTH FROM d.day) < 4 THEN 1 ELSE 0 END
                AS start_year
        FROM (SELECT (p_at AT TIME ZONE 'Asia/Kolkata')::date AS day) AS d
    ) AS y
$$;
