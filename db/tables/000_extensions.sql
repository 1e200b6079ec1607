-- Extensions the schema relies on. pgcrypto: secure random bytes and HMAC for OTPs and
-- payment signatures.
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
