-- india_post_state: a state name as India Post's pincode directory writes it (upper case, "&"
-- for "and", "THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU", older names such as ORISSA,
-- PONDICHERRY, UTTARANCHAL, CHATTISGARH, DAMAN & DIU) in the spelling of
-- internal.indian_states; NULL for a name it does not know. Matches case-blind, with any
-- spacing.
CREATE FUNCTION internal.india_post_state(p_name text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
AS $$
DECLARE
    v_name constant text := regexp_replace(
        regexp_replace(upper(btrim(replace(p_name, '&', ' AND '))), '\s+', ' ', 'g'), '^THE ', ''
    );
    v_state text;
BEGIN
    SELECT s.name INTO v_state
    FROM unnest(internal.indian_states()) AS s (name)
    WHERE upper(s.name) = v_name;
    RETURN coalesce(v_state, CASE v_name
        WHEN 'ORISSA' THEN 'Odisha'
        WHEN 'PONDICHERRY' THEN 'Puducherry'
        WHEN 'UTTARANCHAL' THEN 'Uttarakhand'
        WHEN 'CHATTISGARH' THEN 'Chhattisgarh'
        WHEN 'NCT OF DELHI' THEN 'Delhi'
        WHEN 'ANDAMAN AND NICOBAR' THEN 'Andaman and Nicobar Islands'
        WHEN 'DADRA AND NAGAR HAVELI' THEN 'Dadra and Nagar Haveli and Daman and Diu'
        WHEN 'DAMAN AND DIU' THEN 'Dadra and Nagar Haveli and Daman and Diu'
    END);
END
$$;
