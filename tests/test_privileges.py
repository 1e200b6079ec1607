"""Least privilege, over real connections: the web tier reaches the store only through the `api`
functions api_spec.yaml gives it, the worker only through its own, a database made before the
roles is handed over to the owner, and the login roles take their passwords from the
environment. The catalog-wide checks (PUBLIC, readonly, SECURITY DEFINER, ownership) are the
pgTAP suite in db/tests/privileges/."""

from __future__ import annotations

import os

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from codegen.spec import granted_procedures
from codegen.spec import load as load_spec
from db.migrate import DB_DIR, SPEC_PATH, MigrationReport, apply_tables
from tests.conftest import api_url, database_url, drop_database, migrate_database

# Every function a role may call: EXECUTE on it and USAGE on its schema. The system schemas
# (built-ins every role may call) are left out.
CALLABLE_SQL = """
    SELECT p.pronamespace::regnamespace::text || '.' || p.proname
    FROM pg_catalog.pg_proc AS p
    INNER JOIN pg_catalog.pg_namespace AS n ON p.pronamespace = n.oid
    WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND has_schema_privilege(%(role)s, n.oid, 'USAGE')
        AND has_function_privilege(%(role)s, p.oid, 'EXECUTE')
"""


@pytest.fixture
def fresh_url(request) -> str:
    name = f"jiokidz_privileges_{os.getpid()}_{request.node.name[:30].lower()}"
    drop_database(name)
    yield database_url(name)
    drop_database(name)


def denied(url: str, query: str) -> str:
    """The message of the InsufficientPrivilege error that `query` raises at `url`."""
    with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:
        conn.execute(query)
    return str(exc.value)


def test_the_web_tier_cannot_read_a_table(db_url):
    assert "permission denied" in denied(api_url(db_url), "SELECT * FROM store.users")


def test_the_web_tier_cannot_call_a_helper(db_url):
    assert "permission denied" in denied(api_url(db_url), "SELECT internal.require_user(1)")


def test_the_web_tier_cannot_run_the_sweeper(db_url):
    assert "permission denied" in denied(api_url(db_url), "SELECT api.sweep()")


def test_the_web_tier_calls_an_endpoint(db_url):
    with psycopg.connect(api_url(db_url)) as conn:
        (categories,) = conn.execute("SELECT api.list_categories()").fetchone()
    assert categories["items"], "the demo store has categories"


@pytest.mark.parametrize("role", ["jiokidz_api", "jiokidz_worker"])
def test_each_role_may_call_exactly_what_the_spec_grants_it(db, role):
    granted = granted_procedures(load_spec(SPEC_PATH))[role]
    callable_now = [name for (name,) in db.execute(CALLABLE_SQL, {"role": role})]
    assert sorted(callable_now) == sorted(granted)


def test_a_database_made_before_the_roles_is_handed_over_to_the_owner(fresh_url):
    # The old way: the database, every table file and an `api` function made by a superuser,
    # and a grant to PUBLIC.
    name = conninfo_to_dict(fresh_url)["dbname"]
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(fresh_url) as conn:
        apply_tables(conn, DB_DIR / "tables", MigrationReport())
        conn.execute("CREATE SCHEMA api")
        conn.execute("CREATE FUNCTION api.old() RETURNS int LANGUAGE sql AS 'SELECT 1'")
        conn.execute("GRANT SELECT ON store.users TO PUBLIC")
    ownership = """
        SELECT
            (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()),
            (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'store.users'::regclass),
            has_table_privilege('public', 'store.users', 'SELECT')
    """
    with psycopg.connect(fresh_url) as conn:
        assert conn.execute(ownership).fetchone() == ("postgres", "postgres", True)

    report = migrate_database(fresh_url)

    assert report.tables_applied == []
    with psycopg.connect(fresh_url) as conn:
        assert conn.execute(ownership).fetchone() == ("jiokidz_owner", "jiokidz_owner", False)
        not_handed_over = conn.execute(
            """
            SELECT oid::regclass::text FROM pg_class
            WHERE relnamespace = 'store'::regnamespace AND relowner <> 'jiokidz_owner'::regrole
            UNION ALL
            SELECT oid::regprocedure::text FROM pg_proc
            WHERE pronamespace IN ('store'::regnamespace, 'api'::regnamespace)
                AND proowner <> 'jiokidz_owner'::regrole
            """
        ).fetchall()
        assert not_handed_over == []
        # `api` was recreated from the files: the old function went with it.
        assert conn.execute("SELECT to_regproc('api.old')").fetchone() == (None,)


def test_login_roles_take_their_passwords_from_the_environment(fresh_url, monkeypatch):
    def has_password(conn: psycopg.Connection, role: str) -> bool:
        query = "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = %s"
        return conn.execute(query, (role,)).fetchone()[0]

    monkeypatch.setenv("JIOKIDZ_WORKER_PASSWORD", "worker-password-from-the-environment")
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        try:
            conn.execute("ALTER ROLE jiokidz_worker PASSWORD NULL")
            assert not has_password(conn, "jiokidz_worker")

            migrate_database(fresh_url, seed=False)

            assert has_password(conn, "jiokidz_worker")
        finally:
            # Other tests and the development server log in without one.
            conn.execute("ALTER ROLE jiokidz_worker PASSWORD NULL")
