-- One-time login codes. Only a keyed hash of the code is stored.
CREATE TABLE store.otp_verifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone text NOT NULL,
    code_hash bytea NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    attempts smallint NOT NULL DEFAULT 0,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    verified_at timestamptz,
    client_ip inet,
    CONSTRAINT otp_verifications_phone_format CHECK (phone ~ '^\+91[6-9][0-9]{9}$'),
    CONSTRAINT otp_verifications_code_hash_length CHECK (octet_length(code_hash) = 32),
    CONSTRAINT otp_verifications_status_valid CHECK (
        status IN ('pending', 'verified', 'superseded', 'locked')
    ),
    CONSTRAINT otp_verifications_attempts_range CHECK (attempts BETWEEN 0 AND 5),
    CONSTRAINT otp_verifications_expiry_after_creation CHECK (expires_at > created_at)
);

-- At most one live code per phone: a new code supersedes the old one.
CREATE UNIQUE INDEX otp_verifications_one_pending_per_phone
ON store.otp_verifications (phone) WHERE status = 'pending';
-- Rate limits count the codes sent to a phone in the last hour.
CREATE INDEX otp_verifications_phone_created_at
ON store.otp_verifications (phone, created_at DESC);

COMMENT ON TABLE store.otp_verifications IS
'OTP login codes: one row per code sent. send_otp writes, verify_otp consumes.';
COMMENT ON COLUMN store.otp_verifications.id IS 'Code id.';
COMMENT ON COLUMN store.otp_verifications.phone IS 'Normalised phone the code was sent to.';
COMMENT ON COLUMN store.otp_verifications.code_hash IS
'HMAC-SHA256 of phone and code keyed with the server OTP key; the code itself is never stored.';
COMMENT ON COLUMN store.otp_verifications.status IS
'pending (usable until expires_at), verified (used), superseded (newer code sent), locked (5 wrong tries).';
COMMENT ON COLUMN store.otp_verifications.attempts IS 'Wrong guesses so far; 5 locks the code.';
COMMENT ON COLUMN store.otp_verifications.expires_at IS 'The code is refused after this time.';
COMMENT ON COLUMN store.otp_verifications.created_at IS 'When the code was sent.';
COMMENT ON COLUMN store.otp_verifications.verified_at IS 'When the code was used to log in.';
COMMENT ON COLUMN store.otp_verifications.client_ip IS 'Client address that asked for the code.';
