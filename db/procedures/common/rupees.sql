-- rupees: an amount in paise (0 or more) as rupees for human-readable details: 49900 -> '499',
-- 49950 -> '499.50'. Never used for arithmetic; money stays bigint paise.
CREATE FUNCTION internal.rupees(p_paise bigint)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT (p_paise / 100)::text
        || CASE WHEN p_paise % 100 <> 0 THEN '.' || lpad(abs(p_paise % 100)::text, 2, '0') ELSE '' END
$$;
