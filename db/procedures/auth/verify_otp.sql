-- verify_otp: log in with the code from send_otp; creates the user on first login, and starts a
-- session (store.sessions) with its first refresh token.
-- Locks the phone's latest code (FOR UPDATE), so parallel guesses are counted one by one and a
-- code is consumed exactly once.
-- Raises: JK422 validation_error (phone, otp format), JK401 otp_expired, JK401 unauthorized
-- (closed account), JK403 account_disabled (deactivated account). Returns, so that the counted
-- try is kept: internal.problem 401 invalid_otp, 429 otp_attempts_exceeded (5 wrong tries lock
-- the code).
-- Returns {"is_new_user", "user": {"id", "phone", "name", "email"}, "session_id",
-- "refresh_token", "refresh_expires_in"}; the route adds the access token.
CREATE FUNCTION api.verify_otp(
    p_phone text, p_otp text, p_otp_key bytea, p_refresh_key bytea, p_client_ip inet DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
VOLATILE
AS $$
DECLARE
    c_max_attempts constant integer := 5;
    v_phone text := internal.normalize_phone(p_phone);
    v_otp store.otp_verifications;
    v_user store.users;
    v_is_new boolean := false;
    v_session_id bigint;
BEGIN
    IF p_otp IS NULL OR p_otp !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK422', MESSAGE = 'validation_error',
            DETAIL = 'otp must be 6 digits', COLUMN = 'otp';
    END IF;

    SELECT * INTO v_otp
    FROM store.otp_verifications
    WHERE phone = v_phone
    ORDER BY created_at DESC, id DESC
    LIMIT 1
    FOR UPDATE;

    IF NOT FOUND OR v_otp.status IN ('verified', 'superseded') THEN
        RETURN internal.problem(401, 'invalid_otp', 'No code is waiting for this phone; ask for a new one');
    END IF;
    IF v_otp.status = 'locked' THEN
        RETURN internal.problem(429, 'otp_attempts_exceeded', 'Too many wrong codes; ask for a new one');
    END IF;
    IF v_otp.expires_at <= now() THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'otp_expired', DETAIL = 'The code has expired; ask for a new one';
    END IF;

    IF v_otp.code_hash IS DISTINCT FROM internal.otp_hash(v_phone, p_otp, p_otp_key) THEN
        UPDATE store.otp_verifications
        SET attempts = attempts + 1,
            status = CASE WHEN attempts + 1 >= c_max_attempts THEN 'locked' ELSE status END
        WHERE id = v_otp.id
        RETURNING * INTO v_otp;
        IF v_otp.status = 'locked' THEN
            RETURN internal.problem(429, 'otp_attempts_exceeded', 'Too many wrong codes; ask for a new one');
        END IF;
        RETURN internal.problem(401, 'invalid_otp',
            format('Wrong code; %s tries left', c_max_attempts - v_otp.attempts));
    END IF;

    UPDATE store.otp_verifications SET status = 'verified', verified_at = now()
    WHERE id = v_otp.id;

    SELECT * INTO v_user FROM store.users WHERE phone = v_phone FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO store.users (phone) VALUES (v_phone) RETURNING * INTO v_user;
        v_is_new := true;
    ELSIF v_user.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK401', MESSAGE = 'unauthorized', DETAIL = 'This account is closed';
    ELSIF NOT v_user.is_active THEN
        RAISE EXCEPTION USING
            ERRCODE = 'JK403', MESSAGE = 'account_disabled',
            DETAIL = 'This account has been deactivated; contact customer support';
    END IF;
    UPDATE store.users SET last_login_at = now() WHERE id = v_user.id;
    INSERT INTO store.sessions (user_id, created_ip) VALUES (v_user.id, p_client_ip)
    RETURNING id INTO v_session_id;

    RETURN jsonb_build_object(
        'is_new_user', v_is_new,
        'user', jsonb_build_object(
            'id', v_user.id, 'phone', v_user.phone, 'name', v_user.name, 'email', v_user.email
        )
    ) || internal.issue_refresh_token(v_user.id, v_session_id, p_refresh_key);
END
$$;
