-- A customer (or staff member) identified by an Indian mobile number.
CREATE TABLE store.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone text NOT NULL,
    name text,
    email text,
    is_staff boolean NOT NULL DEFAULT FALSE,
    token_version integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    deleted_at timestamptz,
    CONSTRAINT users_phone_key UNIQUE (phone),
    CONSTRAINT users_phone_format CHECK (phone ~ '^\+91[6-9][0-9]{9}$'),
    CONSTRAINT users_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT users_email_format CHECK (
        char_length(email) <= 254
        AND email ~ '^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$'
    ),
    CONSTRAINT users_token_version_non_negative CHECK (token_version >= 0)
);

COMMENT ON TABLE store.users IS
'Customers and staff. Created by verify_otp on first login; the phone is the identity.';
COMMENT ON COLUMN store.users.id IS 'User id; the JWT subject.';
COMMENT ON COLUMN store.users.phone IS 'Indian mobile number normalised to +91XXXXXXXXXX.';
COMMENT ON COLUMN store.users.name IS 'Display name, optional until the user sets it.';
COMMENT ON COLUMN store.users.email IS 'Optional e-mail address, format-checked.';
COMMENT ON COLUMN store.users.is_staff IS 'Staff may use /admin routes (order status changes).';
COMMENT ON COLUMN store.users.token_version IS
'Bumped to revoke every access token issued before (logout everywhere).';
COMMENT ON COLUMN store.users.created_at IS 'When the user first logged in.';
COMMENT ON COLUMN store.users.updated_at IS 'Last change to the profile.';
COMMENT ON COLUMN store.users.last_login_at IS 'Last successful OTP verification.';
COMMENT ON COLUMN store.users.deleted_at IS
'Set when the account is closed; tokens of a deleted user are refused.';
