-- otp_hash: the stored form of a code, HMAC-SHA256 of phone and code keyed with the OTP key.
-- Binding the phone in means a hash cannot be replayed for another number.
CREATE FUNCTION api.otp_hash(p_phone text, p_code text, p_otp_key bytea)
RETURNS bytea
LANGUAGE sql
IMMUTABLE
STRICT
AS $$
    SELECT public.hmac(convert_to(p_phone || ':' || p_code, 'UTF8'), p_otp_key, 'sha256')
$$;
