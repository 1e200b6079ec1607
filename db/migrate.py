"""Create or upgrade the database: `python -m db.migrate` (what `make db` runs).

- With an admin connection (ADMIN_DATABASE_URL: a superuser, or CREATEROLE and CREATEDB), the
  roles of db/roles.sql are created when missing, with passwords from JIOKIDZ_<ROLE>_PASSWORD
  when given, and the database is created (or handed over) with jiokidz_owner as its owner.
- Everything else runs logged in as the owner (OWNER_DATABASE_URL), so that the owner owns
  every object it makes:
- db/tables/*.sql are applied once each, in file-name order, and recorded with a SHA-256 of
  their text in store.schema_migrations. An applied file whose text changed is reported and
  nothing is applied: schema changes go in a new numbered file, so data is never lost.
- db/procedures/**/*.sql are applied every time into freshly recreated `api` and `internal`
  schemas, so a renamed or re-typed function never leaves a stale overload behind. Tables
  never depend on those schemas, which is what makes dropping them safe. `api` holds only the
  functions api_spec.yaml names (SECURITY DEFINER entry points); `internal` the rest.
- db/grants.sql then takes every privilege from PUBLIC and grants each role its part, and
  EXECUTE on the `api` functions goes to the roles api_spec.yaml gives them.
- db/seed/*.sql (the demo store) is loaded only when store.products is empty.

Everything happens in one transaction under an advisory lock: two runs at once queue, and a
failed run changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from codegen.spec import granted_procedures
from codegen.spec import load as load_spec

DB_DIR = Path(__file__).resolve().parent
SPEC_PATH = DB_DIR.parent / "api_spec.yaml"
ADVISORY_LOCK_KEY = 7_240_001  # any constant; shared by every migration run
# Roles that log in, each with an optional password from JIOKIDZ_<ROLE>_PASSWORD (db/roles.sql).
LOGIN_ROLES = ("jiokidz_owner", "jiokidz_api", "jiokidz_worker")
PROCEDURE_SCHEMAS = {
    "api": "Entry points named by api_spec.yaml (SECURITY DEFINER); recreated by make db.",
    "internal": "Helpers of the api functions, for no login role; recreated by make db.",
}
# Run as the admin in a database made before the roles existed: the owner takes over the
# store's schemas and what is in them (a table's indexes and identity sequences follow it).
HAND_OVER_SQL = """
DO $$
DECLARE
    v_object record;
BEGIN
    FOR v_object IN
        SELECT format('ALTER SCHEMA %I OWNER TO jiokidz_owner', nspname) AS command
        FROM pg_namespace
        WHERE nspname IN ('store', 'api', 'internal') AND nspowner <> 'jiokidz_owner'::regrole
        UNION ALL
        SELECT format('ALTER TABLE %s OWNER TO jiokidz_owner', c.oid::regclass)
        FROM pg_class AS c
        WHERE c.relnamespace::regnamespace::text IN ('store', 'api', 'internal')
            AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
            AND c.relowner <> 'jiokidz_owner'::regrole
            AND NOT EXISTS (
                SELECT FROM pg_depend AS d
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                    AND d.deptype IN ('a', 'i')
            )
        UNION ALL
        SELECT format('ALTER ROUTINE %s OWNER TO jiokidz_owner', p.oid::regprocedure)
        FROM pg_proc AS p
        WHERE p.pronamespace::regnamespace::text IN ('store', 'api', 'internal')
            AND p.proowner <> 'jiokidz_owner'::regrole
        UNION ALL
        SELECT format('ALTER TYPE %s OWNER TO jiokidz_owner', t.oid::regtype)
        FROM pg_type AS t
        WHERE t.typnamespace::regnamespace::text IN ('store', 'api', 'internal')
            AND t.typtype IN ('e', 'd') AND t.typowner <> 'jiokidz_owner'::regrole
    LOOP
        EXECUTE v_object.command;
    END LOOP;
END
$$
"""


class MigrationError(Exception):
    """The database cannot be upgraded as asked; nothing was changed."""


@dataclass
class MigrationReport:
    tables_applied: list[str] = field(default_factory=list)
    tables_already_applied: int = 0
    procedure_files: int = 0
    seeded: bool = False

    def summary(self) -> str:
        new = ", ".join(self.tables_applied) or "none"
        seed = "demo data loaded" if self.seeded else "demo data skipped (catalog not empty)"
        return (
            f"tables: {len(self.tables_applied)} new ({new}), "
            f"{self.tables_already_applied} already applied; "
            f"procedures: {self.procedure_files} files re-applied; {seed}"
        )


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def logged_in_as(url: str, login_url: str) -> str:
    """`url`'s server and database, with the user and password of `login_url`."""
    login = conninfo_to_dict(login_url)
    return make_conninfo(url, user=login.get("user"), password=login.get("password"))


def migrate_as_admin(admin_url: str, owner_login_url: str, **kwargs) -> MigrationReport:
    """`make db` for the database an admin's URL names (tests, the benchmark): the roles and
    the database through the admin, then the rest logged in as the owner (with the user and
    password of `owner_login_url`)."""
    owner_url = logged_in_as(admin_url, owner_login_url)
    return migrate(owner_url, admin_url=make_conninfo(admin_url, dbname="postgres"), **kwargs)


def bootstrap(admin_url: str, url: str, db_dir: Path = DB_DIR) -> None:
    """As the admin: the roles (db/roles.sql), the login roles' passwords from the environment,
    and the database named in `url`, created with jiokidz_owner as its owner, or handed over
    to it with every object in the store's schemas (a database made before the roles)."""
    dbname = conninfo_to_dict(url).get("dbname")
    if not dbname:
        raise MigrationError(f"the database URL names no database: {url}")
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute((db_dir / "roles.sql").read_text())
        for role in LOGIN_ROLES:
            if password := os.environ.get(f"{role.upper()}_PASSWORD"):
                conn.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(role), sql.Literal(password)
                    )
                )
        database = sql.Identifier(dbname)
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO jiokidz_owner").format(database))
        else:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {} OWNER jiokidz_owner").format(database))
            except psycopg.errors.DuplicateDatabase:
                pass  # created by a run in parallel
    with psycopg.connect(make_conninfo(admin_url, dbname=dbname), connect_timeout=5) as conn:
        conn.execute(HAND_OVER_SQL)


def migrate(
    url: str, *, admin_url: str | None = None, seed: bool = True, db_dir: Path = DB_DIR
) -> MigrationReport:
    """Upgrade the database at `url`, logged in as its owner; with `admin_url`, first create
    the roles and the database (bootstrap)."""
    if admin_url:
        bootstrap(admin_url, url, db_dir)
    granted = granted_procedures(load_spec(SPEC_PATH))
    report = MigrationReport()
    with psycopg.connect(url, connect_timeout=5) as conn:  # one transaction, committed on exit
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
        conn.execute("SET LOCAL client_min_messages = warning")
        apply_tables(conn, db_dir / "tables", report)
        apply_procedures(conn, db_dir / "procedures", report)
        apply_grants(conn, db_dir / "grants.sql", granted)
        if seed and conn.execute("SELECT NOT EXISTS (SELECT FROM store.products)").fetchone()[0]:
            for path in sorted((db_dir / "seed").glob("*.sql")):
                conn.execute(path.read_text())
            report.seeded = True
    return report


def apply_tables(conn: psycopg.Connection, tables_dir: Path, report: MigrationReport) -> None:
    conn.execute("CREATE SCHEMA IF NOT EXISTS store")
    # Timestamps leave the database as ISO 8601 in UTC, whoever connects.
    conn.execute(
        """
        DO $$ BEGIN
            EXECUTE format('ALTER DATABASE %I SET timezone TO ''UTC''', current_database());
        END $$
        """
    )
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS store.schema_migrations (
            filename text PRIMARY KEY,
            checksum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    conn.execute(
        """
        COMMENT ON TABLE store.schema_migrations IS
            'Table files of db/tables applied by db/migrate.py, with the SHA-256 of their text.';
        COMMENT ON COLUMN store.schema_migrations.filename IS 'File name in db/tables.';
        COMMENT ON COLUMN store.schema_migrations.checksum IS
            'SHA-256 of the file when applied; make db refuses a file whose text changed.';
        COMMENT ON COLUMN store.schema_migrations.applied_at IS 'When the file was applied.';
        """
    )
    applied = dict(conn.execute("SELECT filename, checksum FROM store.schema_migrations"))
    files = {path.name: path for path in sorted(tables_dir.glob("*.sql"))}

    problems = [
        f"db/tables/{name} was edited after it was applied "
        f"(recorded sha256 {applied[name][:12]}, now {checksum(path)[:12]}); "
        "put the change in a new numbered file instead"
        for name, path in files.items()
        if name in applied and applied[name] != checksum(path)
    ]
    problems += [
        f"db/tables/{name} was applied to this database but is missing from the checkout"
        for name in applied
        if name not in files
    ]
    if problems:
        raise MigrationError("\n".join(problems))

    for name, path in files.items():
        if name in applied:
            report.tables_already_applied += 1
            continue
        conn.execute(path.read_text())
        conn.execute(
            "INSERT INTO store.schema_migrations (filename, checksum) VALUES (%s, %s)",
            (name, checksum(path)),
        )
        report.tables_applied.append(name)


def apply_procedures(
    conn: psycopg.Connection, procedures_dir: Path, report: MigrationReport
) -> None:
    for schema, comment in PROCEDURE_SCHEMAS.items():
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(
            sql.SQL("COMMENT ON SCHEMA {} IS {}").format(
                sql.Identifier(schema), sql.Literal(comment)
            )
        )
    # Function bodies may call functions defined in files loaded later.
    conn.execute("SET LOCAL check_function_bodies = off")
    for path in sorted(procedures_dir.rglob("*.sql")):
        try:
            conn.execute(path.read_text())
        except psycopg.Error as exc:
            raise MigrationError(f"{path.relative_to(procedures_dir.parent)}: {exc}") from exc
        report.procedure_files += 1


def apply_grants(conn: psycopg.Connection, grants_file: Path, granted: dict[str, set[str]]) -> None:
    """db/grants.sql, then EXECUTE on each `api` function to the roles api_spec.yaml gives it.
    Schema `api` holds the spec's functions and no others."""
    conn.execute(grants_file.read_text())
    in_api = {
        name
        for (name,) in conn.execute(
            "SELECT 'api.' || proname FROM pg_proc WHERE pronamespace = 'api'::regnamespace"
        )
    }
    named = set().union(*granted.values())
    problems = [
        f"db/procedures defines {name}, which api_spec.yaml does not name: "
        "helpers go in schema internal"
        for name in sorted(in_api - named)
    ] + [
        f"api_spec.yaml names {name}, which db/procedures does not define"
        for name in sorted(named - in_api)
    ]
    if problems:
        raise MigrationError("\n".join(problems))
    for role, procedures in granted.items():
        for name in sorted(procedures):
            conn.execute(
                sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(
                    sql.Identifier(*name.split(".")), sql.Identifier(role)
                )
            )


def main(argv: list[str] | None = None) -> int:
    from app.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=None, help="the owner's login; default: OWNER_DATABASE_URL"
    )
    parser.add_argument(
        "--admin-url",
        default=None,
        help="creates roles and database first; default: ADMIN_DATABASE_URL (unset: skipped)",
    )
    parser.add_argument("--no-seed", action="store_true", help="never load the demo data")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    url = args.database_url or settings.owner_database_url
    admin_url = args.admin_url or settings.admin_database_url
    try:
        report = migrate(url, admin_url=admin_url, seed=not args.no_seed)
    except MigrationError as exc:
        print(f"make db: nothing changed.\n{exc}", file=sys.stderr)
        return 1
    print(f"make db: {report.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
