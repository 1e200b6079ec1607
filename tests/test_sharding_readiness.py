"""Ready to shard by user (docs/scaling.md). db/tests/sharding/ checks the schema against the
distribution plan in the tables' comments; this checks the rest of the plan against them:

- docs/scaling.md's distribution calls are the plan in the catalog, in an order Citus accepts;
- every function of schema api has its row in the doc's table of procedures;
- the functions the doc distributes by p_user_id reach, in their SQL and the helpers they
  call, only tables of the user group and reference tables;
- db/tables/400_sharding_keys.sql keeps every row of a database made before it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import psycopg
import pytest

from db.migrate import DB_DIR
from tests.conftest import ROOT, database_url, drop_database, migrate_database

SCALING_MD = ROOT / "docs" / "scaling.md"

# The plan sentence that ends a table's COMMENT (db/tables/410_distribution_plan.sql).
PLAN = re.compile(
    r"Sharding: (?:distributed by ([a-z_][a-z0-9_]*)(?: with (store\.[a-z_][a-z0-9_]*))?"
    r"|(reference table)|(on the coordinator))\.$"
)
# The exceptions named in db/tests/sharding/distribution_plan.test.sql that concern the calls:
# store.schema_migrations goes to the coordinator (db/migrate.py writes its comment), and the
# reservations' foreign key to orders is dropped before the calls (docs/scaling.md, change 1).
UNSTATED_PLANS = {"store.schema_migrations": ("coordinator", None, None)}
DROPPED_AT_THE_STEP = {("store.inventory_locks", "inventory_locks_user_id_order_id_fkey")}

CALL = re.compile(
    r"^SELECT (create_reference_table|citus_add_local_table_to_metadata|create_distributed_table)"
    r"\('(store\.\w+)'(?:, '(\w+)')?(?:, colocate_with => '([\w.]+)')?\);$",
    re.MULTILINE,
)
FUNCTION_CALL = re.compile(
    r"^SELECT create_distributed_function\('(api\.\w+)\(([\w,]*)\)', '(\w+)', "
    r"colocate_with => '([\w.]+)'\);$",
    re.MULTILINE,
)
PROCEDURE_ROW = re.compile(r"^\| `(api\.\w+)` \| ([^|]+?) \|", re.MULTILINE)
DEFINITION = re.compile(r"CREATE (?:OR REPLACE )?FUNCTION ((?:api|internal|store)\.\w+)\s*\(")


def catalog_plan(conn: psycopg.Connection) -> dict[str, tuple[str, str | None, str | None]]:
    """Each table of schema store: (method, distribution column, co-located with)."""
    plan = {}
    rows = conn.execute(
        """
        SELECT c.oid::regclass::text, coalesce(obj_description(c.oid, 'pg_class'), '')
        FROM pg_class AS c
        WHERE c.relnamespace = 'store'::regnamespace AND c.relkind IN ('r', 'p')
            AND NOT c.relispartition
        """
    )
    for table, comment in rows:
        match = PLAN.search(comment)
        if match is None:
            plan[table] = UNSTATED_PLANS.get(table, ("none", None, None))
        elif match[1]:
            plan[table] = ("distributed", match[1], match[2])
        elif match[3]:
            plan[table] = ("reference", None, None)
        else:
            plan[table] = ("coordinator", None, None)
    return plan


def documented_calls() -> list[tuple[str, tuple[str, str | None, str | None]]]:
    """docs/scaling.md's distribution calls, in order: (table, plan) as catalog_plan has it."""
    calls = []
    for function, table, column, colocate_with in CALL.findall(SCALING_MD.read_text()):
        if function == "create_reference_table":
            calls.append((table, ("reference", None, None)))
        elif function == "citus_add_local_table_to_metadata":
            calls.append((table, ("coordinator", None, None)))
        else:
            group = None if colocate_with == "none" else colocate_with
            calls.append((table, ("distributed", column, group)))
    return calls


def definitions() -> dict[str, str]:
    """The SQL of every function of schemas api and internal (db/procedures) and store
    (db/tables), comments removed; overloads and replaced versions together."""
    files = sorted((DB_DIR / "procedures").rglob("*.sql")) + sorted(
        (DB_DIR / "tables").glob("*.sql")
    )
    found: dict[str, str] = {}
    for path in files:
        text = re.sub(r"--[^\n]*", "", path.read_text())
        starts = [(m.start(), m[1]) for m in DEFINITION.finditer(text)]
        for i, (start, name) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
            found[name] = found.get(name, "") + text[start:end]
    return found


def reached_tables(function: str, sources: dict[str, str], tables: set[str]) -> set[str]:
    """The tables `function` names in its SQL or in the SQL of the functions it calls, and so
    on. Triggers are not followed: db/tests/sharding/ allows none on distributed tables."""
    seen: set[str] = set()
    todo = [function]
    reached: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        body = sources.get(name, "")
        reached |= {f"store.{t}" for t in re.findall(r"\bstore\.(\w+)", body)} & tables
        todo += re.findall(r"\b((?:api|internal|store)\.\w+)\s*\(", body)
    return reached


@pytest.fixture(scope="module")
def plan(db_url: str) -> dict[str, tuple[str, str | None, str | None]]:
    with psycopg.connect(db_url) as conn:
        return catalog_plan(conn)


def test_the_distribution_calls_are_the_plan_in_the_catalog(plan):
    calls = documented_calls()
    tables = [table for table, _ in calls]
    assert len(tables) == len(set(tables)), "a table is distributed twice"
    assert dict(calls) == plan
    # The user group as docs/scaling.md describes it, read from the catalog.
    assert plan["store.users"] == ("distributed", "id", None)
    assert plan["store.orders"] == ("distributed", "user_id", "store.users")
    assert plan["store.webhook_events"] == ("distributed", "event_id", None)


def test_referenced_tables_are_distributed_first(db):
    order = {table: i for i, (table, _) in enumerate(documented_calls())}
    foreign_keys = db.execute(
        """
        SELECT k.conrelid::regclass::text, k.conname, k.confrelid::regclass::text
        FROM pg_constraint AS k
        WHERE k.connamespace = 'store'::regnamespace AND k.contype = 'f'
            AND k.conrelid <> k.confrelid
        """
    ).fetchall()
    assert len(foreign_keys) > 20
    late = [
        f"{child} {name} -> {parent}"
        for child, name, parent in foreign_keys
        if (child, name) not in DROPPED_AT_THE_STEP and order[parent] > order[child]
    ]
    assert late == []


def test_every_api_function_is_placed_once(db):
    rows = PROCEDURE_ROW.findall(SCALING_MD.read_text())
    names = [name for name, _ in rows]
    assert len(names) == len(set(names)), "a procedure has two rows"
    in_api = {
        f"api.{name}"
        for (name,) in db.execute(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'api'::regnamespace"
        )
    }
    assert set(names) == in_api
    # The rows run on the user's worker are exactly the distributed functions.
    on_workers = {name for name, runs_on in rows if runs_on == "the user's worker"}
    assert on_workers == {call[0] for call in FUNCTION_CALL.findall(SCALING_MD.read_text())}


def test_distributed_functions_reach_only_the_users_rows_and_reference_tables(db, plan):
    calls = FUNCTION_CALL.findall(SCALING_MD.read_text())
    assert len(calls) >= 15
    allowed = {
        table
        for table, (method, column, group) in plan.items()
        if method == "reference"
        or (method, column, group) == ("distributed", "user_id", "store.users")
    } | {"store.users"}
    sources = definitions()
    for name, arguments, distribution_argument, colocate_with in calls:
        assert colocate_with == "store.users"
        names = db.execute(
            "SELECT proargnames FROM pg_proc WHERE oid = to_regprocedure(%s)",
            (f"{name}({arguments})",),
        ).fetchone()
        assert names is not None, f"{name}({arguments}) does not exist"
        assert distribution_argument == names[0][0] == "p_user_id", name
        reached = reached_tables(name, sources, set(plan))
        assert reached, f"{name} reaches no table: the analysis found nothing"
        assert reached <= allowed, f"{name} reaches {sorted(reached - allowed)}"


def test_the_analysis_follows_the_helpers_a_function_calls(plan):
    sources = definitions()
    tables = set(plan)
    # get_cart names no stock table itself: internal.cart_body, then internal.stock_of, do.
    assert "store.inventory_locks" not in re.findall(r"store\.\w+", sources["api.get_cart"])
    assert "store.inventory_locks" in reached_tables("api.get_cart", sources, tables)
    assert reached_tables("api.get_me", sources, tables) == {"store.users"}
    # store functions too (db/tables): the summaries' writer reads the pictures.
    assert "store.product_images" in reached_tables(
        "store.write_product_summaries", sources, tables
    )


@pytest.fixture
def before_400(tmp_path: Path):
    """A database made from db/ without the sharding files (400 and 410), and a copy of db/ to
    upgrade it with; both removed after. The later table files are applied with the rest: the
    procedures loaded with them (today's) may name their tables as types."""
    name = f"jiokidz_sharding_{os.getpid()}"
    drop_database(name)
    copy = tmp_path / "db"
    for part in ("tables", "procedures", "seed"):
        shutil.copytree(DB_DIR / part, copy / part)
    for file in ("roles.sql", "grants.sql"):
        shutil.copy(DB_DIR / file, copy / file)
    held = tmp_path / "held"
    held.mkdir()
    for path in sorted((copy / "tables").glob("*.sql")):
        if path.name.startswith(("400_", "410_")):
            path.rename(held / path.name)
    url = database_url(name)
    migrate_database(url, db_dir=copy)
    yield url, copy, held
    drop_database(name)


def test_the_sharding_keys_keep_every_row(before_400):
    url, copy, held = before_400
    snapshot = """
        SELECT array_agg(t::text ORDER BY t::text) FROM (
            SELECT h::text AS t FROM store.order_status_history AS h
            UNION ALL SELECT a::text FROM store.payment_attempts AS a
        ) AS rows (t)
    """
    with psycopg.connect(url, autocommit=True) as conn:
        staff, buyer = [
            row[0]
            for row in conn.execute(
                "INSERT INTO store.users (phone, is_staff) VALUES "
                "('+919000004001', TRUE), ('+919000004002', FALSE) RETURNING id"
            )
        ]
        address = conn.execute(
            "INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode) "
            "VALUES (%s, 'Asha Rao', '+919000004002', '12 MG Road', 'Bengaluru', 'Karnataka', "
            "'560038') RETURNING id",
            (buyer,),
        ).fetchone()[0]
        order = conn.execute(
            "INSERT INTO store.orders (user_id, address_id, address, subtotal, total, "
            "payment_due_at) VALUES (%s, %s, '{}', 49900, 49900, now()) RETURNING id",
            (buyer, address),
        ).fetchone()[0]
        payment = conn.execute(
            "INSERT INTO store.payments (user_id, order_id, gateway, gateway_order_id, amount) "
            "VALUES (%s, %s, 'mock', 'order_sharding400', 49900) RETURNING id",
            (buyer, order),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO store.payment_attempts (user_id, payment_id, source, status, event_id) "
            "VALUES (%s, %s, 'webhook', 'failed', 'evt_sharding400'), "
            "(%s, %s, 'initiate', 'created', NULL)",
            (buyer, payment, buyer, payment),
        )
        conn.execute(
            "INSERT INTO store.order_status_history (user_id, order_id, from_status, to_status, "
            "actor, actor_user_id) VALUES (%s, %s, 'pending_payment', 'cancelled', 'staff', %s)",
            (buyer, order, staff),
        )
        before = conn.execute(snapshot).fetchone()[0]

    for path in held.iterdir():
        path.rename(copy / "tables" / path.name)
    report = migrate_database(url, db_dir=copy)

    assert report.tables_applied[:2] == ["400_sharding_keys.sql", "410_distribution_plan.sql"]
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute(snapshot).fetchone()[0] == before
        assert len(before) == 3
        keys = dict(
            conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid IN ('store.order_status_history'::regclass, "
                "'store.payment_attempts'::regclass) AND contype IN ('f', 'u')"
            ).fetchall()
        )
        assert "order_status_history_actor_user_id_fkey" not in keys
        assert "payment_attempts_event_id_key" not in keys
        assert keys["payment_attempts_one_per_event"] == "UNIQUE (user_id, event_id)"
        assert (
            conn.execute("SELECT obj_description('store.orders'::regclass, 'pg_class')")
            .fetchone()[0]
            .endswith("Sharding: distributed by user_id with store.users.")
        )
