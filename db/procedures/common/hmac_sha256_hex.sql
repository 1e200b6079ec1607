-- hmac_sha256_hex: lowercase hex HMAC-SHA256 of a message (UTF-8) keyed with a secret, the form
-- of Razorpay's checkout and webhook signatures. Raises (a plain error, answered 500) for a
-- missing or empty secret: an HMAC under an empty key must never pass for a signature.
CREATE FUNCTION internal.hmac_sha256_hex(p_message text, p_secret text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    IF coalesce(p_secret, '') = '' THEN
        RAISE EXCEPTION 'hmac_sha256_hex: the secret is missing';
    END IF;
    RETURN encode(
        public.hmac(convert_to(p_message, 'UTF8'), convert_to(p_secret, 'UTF8'), 'sha256'), 'hex'
    );
END
$$;
