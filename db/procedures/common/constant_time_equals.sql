-- constant_time_equals: do two strings match, compared in time that does not depend on where
-- they differ? Double HMAC: both sides are hashed with a key drawn for this call, and the
-- digests are compared; the timing of `=` then says nothing an attacker can use about the
-- secret side. NULL on either side is never equal. The one compare of every signature check.
CREATE FUNCTION internal.constant_time_equals(p_a text, p_b text)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_key constant bytea := public.gen_random_bytes(32);
BEGIN
    IF p_a IS NULL OR p_b IS NULL THEN
        RETURN FALSE;
    END IF;
    RETURN public.hmac(convert_to(p_a, 'UTF8'), v_key, 'sha256')
        = public.hmac(convert_to(p_b, 'UTF8'), v_key, 'sha256');
END
$$;
