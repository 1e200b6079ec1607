-- refresh_token_hash: the stored form of a refresh token, HMAC-SHA256 keyed with the server's
-- refresh-token key. Raises (as a plain error, answered 500) when the key is missing or shorter
-- than 16 bytes, as otp_hash does.
CREATE FUNCTION internal.refresh_token_hash(p_token text, p_key bytea)
RETURNS bytea
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    IF p_key IS NULL OR octet_length(p_key) < 16 THEN
        RAISE EXCEPTION 'refresh_token_hash: the refresh-token key must be at least 16 bytes';
    END IF;
    RETURN public.hmac(convert_to(p_token, 'UTF8'), p_key, 'sha256');
END
$$;
