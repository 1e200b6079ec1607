-- What each role may do in this database; applied by every `make db`, as the owner, after the
-- procedures (db/migrate.py then grants EXECUTE on the `api` functions that api_spec.yaml
-- gives each role). The owner keeps everything; PUBLIC keeps nothing. The suite in
-- db/tests/privileges/ reads the catalog to prove it, object by object.

-- PUBLIC: no connecting, no temporary tables, no schema, no function.
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format(
        'GRANT CONNECT ON DATABASE %I TO jiokidz_api, jiokidz_worker, jiokidz_readonly',
        current_database()
    );
END
$$;
REVOKE ALL ON SCHEMA public, store, api, internal FROM public;
REVOKE ALL ON ALL TABLES IN SCHEMA store FROM public;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA store FROM public;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA store, api, internal FROM public;
-- Functions the owner makes from now on (the next make db's too) start with no PUBLIC EXECUTE.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM public;

-- The web tier and the worker reach the `api` functions and nothing else: those run as the
-- owner (SECURITY DEFINER), so neither role needs a privilege on a table or on `internal`.
GRANT USAGE ON SCHEMA api TO jiokidz_api, jiokidz_worker;

-- Analysts: every store table except the ones holding login secrets (keyed hashes of OTP
-- codes and refresh tokens, and the outbox, whose otp.requested events hold a code until
-- published), which no report needs.
GRANT USAGE ON SCHEMA store TO jiokidz_readonly;
DO $$
DECLARE
    v_table regclass;
BEGIN
    FOR v_table IN
        SELECT c.oid::regclass
        FROM pg_class AS c
        WHERE c.relnamespace = 'store'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
            AND c.relname NOT IN ('otp_verifications', 'refresh_tokens', 'outbox_events')
    LOOP
        EXECUTE format('GRANT SELECT ON %s TO jiokidz_readonly', v_table);
    END LOOP;
END
$$;
