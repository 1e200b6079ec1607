"""db/migrate.py (`make db`): applies table files once, re-applies procedures, never loses data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
import pytest

from db.migrate import DB_DIR, MigrationError
from tests.conftest import database_url, drop_database, migrate_database


@pytest.fixture
def fresh_url(request) -> str:
    name = f"jiokidz_migrate_{os.getpid()}_{request.node.name[:30].lower()}"
    drop_database(name)
    yield database_url(name)
    drop_database(name)


@pytest.fixture
def db_copy(tmp_path: Path) -> Path:
    """A copy of db/ whose files a test may edit."""
    copy = tmp_path / "db"
    for part in ("tables", "procedures", "seed"):
        shutil.copytree(DB_DIR / part, copy / part)
    for name in ("roles.sql", "grants.sql"):
        shutil.copy(DB_DIR / name, copy / name)
    return copy


def scalar(url: str, query: str):
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchone()[0]


def test_first_run_applies_every_table_file_and_loads_the_demo_store(fresh_url):
    report = migrate_database(fresh_url)
    table_files = sorted(p.name for p in (DB_DIR / "tables").glob("*.sql"))
    assert report.tables_applied == table_files
    assert report.seeded
    assert scalar(fresh_url, "SELECT count(*) FROM store.products") >= 200


def test_second_run_keeps_data_and_applies_nothing_again(fresh_url):
    migrate_database(fresh_url)
    with psycopg.connect(fresh_url) as conn:
        conn.execute("INSERT INTO store.users (phone) VALUES ('+919000000001')")
    products = scalar(fresh_url, "SELECT count(*) FROM store.products")

    report = migrate_database(fresh_url)

    assert report.tables_applied == []
    assert report.tables_already_applied == len(list((DB_DIR / "tables").glob("*.sql")))
    assert not report.seeded
    assert scalar(fresh_url, "SELECT count(*) FROM store.users") == 1
    assert scalar(fresh_url, "SELECT count(*) FROM store.products") == products


def test_an_edited_applied_file_is_reported_and_nothing_changes(fresh_url, db_copy):
    migrate_database(fresh_url, db_dir=db_copy)
    users = db_copy / "tables" / "010_users.sql"
    users.write_text(users.read_text() + "\nALTER TABLE store.users DROP COLUMN email;\n")
    (db_copy / "tables" / "900_new.sql").write_text("CREATE TABLE store.new_thing (id int);\n")

    with pytest.raises(MigrationError, match="010_users.sql was edited after it was applied"):
        migrate_database(fresh_url, db_dir=db_copy)

    assert scalar(fresh_url, "SELECT to_regclass('store.new_thing') IS NULL")
    assert (
        scalar(
            fresh_url,
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'users' AND column_name = 'email'",
        )
        == 1
    )


def test_a_new_table_file_is_applied_once(fresh_url, db_copy):
    migrate_database(fresh_url, db_dir=db_copy)
    (db_copy / "tables" / "900_new.sql").write_text(
        "CREATE TABLE store.new_thing (id int);\nINSERT INTO store.new_thing VALUES (1);\n"
    )
    assert migrate_database(fresh_url, db_dir=db_copy).tables_applied == ["900_new.sql"]
    assert migrate_database(fresh_url, db_dir=db_copy).tables_applied == []
    assert scalar(fresh_url, "SELECT count(*) FROM store.new_thing") == 1


def test_a_failing_file_rolls_the_whole_run_back(fresh_url, db_copy):
    migrate_database(fresh_url, db_dir=db_copy)
    (db_copy / "tables" / "900_a.sql").write_text("CREATE TABLE store.a_thing (id int);\n")
    (db_copy / "tables" / "901_broken.sql").write_text("CREATE TABLE store.broken (;\n")
    with pytest.raises(psycopg.errors.SyntaxError):
        migrate_database(fresh_url, db_dir=db_copy)
    assert scalar(fresh_url, "SELECT to_regclass('store.a_thing') IS NULL")
    assert (
        scalar(fresh_url, "SELECT count(*) FROM store.schema_migrations WHERE filename LIKE '90%'")
        == 0
    )


def test_procedures_are_recreated_so_removed_ones_disappear(fresh_url, db_copy):
    extra = db_copy / "procedures" / "extra.sql"
    extra.write_text(
        "CREATE FUNCTION internal.obsolete() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
    )
    migrate_database(fresh_url, db_dir=db_copy)
    assert scalar(fresh_url, "SELECT to_regprocedure('internal.obsolete()') IS NOT NULL")
    extra.unlink()
    migrate_database(fresh_url, db_dir=db_copy)
    assert scalar(fresh_url, "SELECT to_regprocedure('internal.obsolete()') IS NULL")


def test_demo_data_is_loaded_only_into_an_empty_catalog(fresh_url):
    assert not migrate_database(fresh_url, seed=False).seeded
    assert scalar(fresh_url, "SELECT count(*) FROM store.products") == 0
    assert migrate_database(fresh_url).seeded
    coupons = scalar(fresh_url, "SELECT count(*) FROM store.coupons")
    assert not migrate_database(fresh_url).seeded
    assert scalar(fresh_url, "SELECT count(*) FROM store.coupons") == coupons


def test_a_function_in_api_that_the_spec_does_not_name_is_refused(fresh_url, db_copy):
    """Schema api holds the spec's entry points only: a helper belongs in internal."""
    (db_copy / "procedures" / "stray.sql").write_text(
        "CREATE FUNCTION api.stray() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
    )

    with pytest.raises(
        MigrationError, match="defines api.stray, which api_spec.yaml does not name"
    ):
        migrate_database(fresh_url, db_dir=db_copy)

    # One transaction: nothing of the run is left, not even the tables.
    assert scalar(fresh_url, "SELECT to_regnamespace('store') IS NULL")
