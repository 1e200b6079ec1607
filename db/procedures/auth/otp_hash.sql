-- otp_hash: the stored form of a code, HMAC-SHA256 of phone and code keyed with the OTP key.
-- Binding the phone in means a hash cannot be replayed for another number.
-- Raises (as a plain error, answered 500) when the key is missing or shorter than 16 bytes: a
-- NULL key would make every comparison NULL, which must never pass for a match.
CREATE FUNCTION internal.otp_hash(p_phone text, p_code text, p_otp_key bytea)
RETURNS bytea
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    IF p_otp_key IS NULL OR octet_length(p_otp_key) < 16 THEN
        RAISE EXCEPTION 'otp_hash: the OTP key must be at least 16 bytes';
    END IF;
    RETURN public.hmac(convert_to(p_phone || ':' || p_code, 'UTF8'), p_otp_key, 'sha256');
END
$$;
