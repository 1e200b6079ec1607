"""Create or upgrade the database: `python -m db.migrate` (what `make db` runs).

- db/tables/*.sql are applied once each, in file-name order, and recorded with a SHA-256 of
  their text in store.schema_migrations. An applied file whose text changed is reported and
  nothing is applied: schema changes go in a new numbered file, so data is never lost.
- db/procedures/**/*.sql are applied every time into a freshly recreated `api` schema, so a
  renamed or re-typed function never leaves a stale overload behind. Tables never depend on
  the `api` schema, which is what makes dropping it safe.
- db/seed/*.sql (the demo store) is loaded only when store.products is empty.

Everything happens in one transaction under an advisory lock: two runs at once queue, and a
failed run changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

DB_DIR = Path(__file__).resolve().parent
ADVISORY_LOCK_KEY = 7_240_001  # any constant; shared by every migration run


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


def ensure_database(url: str) -> None:
    """Create the database named in `url` if it does not exist yet."""
    params = conninfo_to_dict(url)
    dbname = params.get("dbname")
    if not dbname:
        raise MigrationError(f"DATABASE_URL names no database: {url}")
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    maintenance = make_conninfo(url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def migrate(url: str, *, seed: bool = True, db_dir: Path = DB_DIR) -> MigrationReport:
    ensure_database(url)
    report = MigrationReport()
    with psycopg.connect(url, connect_timeout=5) as conn:  # one transaction, committed on exit
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
        conn.execute("SET LOCAL client_min_messages = warning")
        apply_tables(conn, db_dir / "tables", report)
        apply_procedures(conn, db_dir / "procedures", report)
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
    conn.execute("DROP SCHEMA IF EXISTS api CASCADE")
    conn.execute("CREATE SCHEMA api")
    conn.execute("COMMENT ON SCHEMA api IS 'Procedures: recreated by every make db.'")
    # Function bodies may call functions defined in files loaded later.
    conn.execute("SET LOCAL check_function_bodies = off")
    for path in sorted(procedures_dir.rglob("*.sql")):
        try:
            conn.execute(path.read_text())
        except psycopg.Error as exc:
            raise MigrationError(f"{path.relative_to(procedures_dir.parent)}: {exc}") from exc
        report.procedure_files += 1


def main(argv: list[str] | None = None) -> int:
    from app.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL")
    parser.add_argument("--no-seed", action="store_true", help="never load the demo data")
    args = parser.parse_args(argv)
    url = args.database_url or Settings.from_env().database_url
    try:
        report = migrate(url, seed=not args.no_seed)
    except MigrationError as exc:
        print(f"make db: nothing changed.\n{exc}", file=sys.stderr)
        return 1
    print(f"make db: {report.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
