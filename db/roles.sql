-- The store's database roles, cluster-wide, created by `make db` through ADMIN_DATABASE_URL (a
-- superuser or a role with CREATEROLE) when they are missing. Idempotent: a role that exists is
-- left as it is, and two runs at once (parallel test databases) both succeed. Passwords are
-- never written here: db/migrate.py sets them from JIOKIDZ_<ROLE>_PASSWORD when given.
-- What each role may do inside a database is granted by db/grants.sql and db/migrate.py.
--   jiokidz_owner     owns the database, its schemas and every object; make db logs in as it
--   jiokidz_api       the web tier: EXECUTE on the functions api_spec.yaml names, nothing else
--   jiokidz_worker    the worker (sweeper, outbox relay, consumers): EXECUTE on its own
--                     functions only (api_spec.yaml, worker_calls)
--   jiokidz_readonly  a group role for analysts' logins and reporting: SELECT on store tables
DO $$
DECLARE
    v_role record;
BEGIN
    FOR v_role IN
        SELECT * FROM (VALUES
            ('jiokidz_owner', 'LOGIN'),
            ('jiokidz_api', 'LOGIN'),
            ('jiokidz_worker', 'LOGIN'),
            ('jiokidz_readonly', 'NOLOGIN')
        ) AS r (name, login)
    LOOP
        CONTINUE WHEN EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = v_role.name);
        BEGIN
            EXECUTE format(
                'CREATE ROLE %I %s NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION',
                v_role.name, v_role.login
            );
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created by a run in parallel since the check above
        END;
    END LOOP;
END
$$;
