-- gstin_check_digit: the 15th character of a GSTIN computed from its first 14 (the GSTN's
-- check-sum: each character's value in 0-9A-Z times 1 and 2 alternately, the quotient and the
-- remainder by 36 of each product summed, then (36 - sum mod 36) mod 36 as a character).
-- A GSTIN is valid when its last character is this. Reads nothing.
CREATE FUNCTION internal.gstin_check_digit(p_gstin text)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT substr(a.alphabet, (36 - sum(p.product / 36 + p.product % 36)::integer % 36) % 36 + 1, 1)
    FROM (SELECT '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ' AS alphabet) AS a
    CROSS JOIN LATERAL (
        SELECT (strpos(a.alphabet, c.ch) - 1) * (2 - c.position::integer % 2) AS product
        FROM unnest(string_to_array(left(upper(p_gstin), 14), NULL)) WITH ORDINALITY AS c (ch, position)
    ) AS p
    GROUP BY a.alphabet
$$;
