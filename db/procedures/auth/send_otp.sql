-- send_otp: issue a 6-digit login code for a phone, valid 5 minutes.
-- The code comes from pgcrypto's secure random source and is stored only as an HMAC keyed with
-- p_otp_key; a new code supersedes the previous one. Known and unknown phones are treated alike.
-- Locks: an advisory transaction lock per phone, so concurrent requests for one phone queue.
-- Raises: JK422 validation_error (phone), JK429 otp_rate_limited (30 s between codes, 5 an hour).
-- The code goes out by SMS through the outbox: an otp.requested event {"phone", "code",
-- "expires_at"} that the otp_sms consumer delivers (the relay removes the code from the row once
-- published).
-- Returns {"otp", "phone", "expires_in", "resend_after"}: the route shows "otp" to the client
-- (as dev_otp) only outside production.
CREATE FUNCTION api.send_otp(p_phone text, p_otp_key bytea, p_client_ip inet DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    c_ttl constant interval := interval '5 minutes';
    c_cooldown constant interval := interval '30 seconds';
    c_max_per_hour constant integer := 5;
    v_phone text := internal.normalize_phone(p_phone);
    v_last_sent timestamptz;
    v_sent_last_hour integer;
    v_code text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('otp:' || v_phone, 0));

    SELECT max(created_at), count(*)
    INTO v_last_sent, v_sent_last_hour
    FROM store.otp_verifications
    WHERE phone = v_phone AND created_at > now() - interval '1 hour';

    IF v_last_sent > now() - c_cooldown THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK429', MESSAGE = 'otp_rate_limited',
            DETAIL = format('Wait %s seconds before asking for another code',
                ceil(extract(EPOCH FROM v_last_sent + c_cooldown - now())));
    END IF;
    IF v_sent_last_hour >= c_max_per_hour THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK429', MESSAGE = 'otp_rate_limited',
            DETAIL = format('At most %s codes an hour may be sent to one phone', c_max_per_hour);
    END IF;

    UPDATE store.otp_verifications SET status = 'superseded'
    WHERE phone = v_phone AND status = 'pending';

    -- 56 random bits reduced mod 10^6: the bias is below 1e-10.
    v_code := lpad(
        (('x' || encode(public.gen_random_bytes(7), 'hex'))::bit(56)::bigint % 1000000)::text,
        6, '0'
    );
    INSERT INTO store.otp_verifications (phone, code_hash, expires_at, client_ip)
    VALUES (v_phone, internal.otp_hash(v_phone, v_code, p_otp_key), now() + c_ttl, p_client_ip);
    PERFORM internal.emit_event('otp.requested', 0, NULL, jsonb_build_object(
        'phone', v_phone, 'code', v_code, 'expires_at', now() + c_ttl
    ));

    RETURN jsonb_build_object(
        'otp', v_code,
        'phone', v_phone,
        'expires_in', extract(EPOCH FROM c_ttl)::integer,
        'resend_after', extract(EPOCH FROM c_cooldown)::integer
    );
END
$$;
