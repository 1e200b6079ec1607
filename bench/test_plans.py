"""The EXPLAIN check: no hot query reads a large table whole.

Each hot call is made as the API makes it, on the benchmark store, with auto_explain logging
the plan of every statement it runs: the procedure's own statements, those of the functions it
calls and the dynamic SQL api.list_products builds, so what is checked is what runs. A call
fails when any of those plans has a Seq Scan on a table of more than LARGE_ROWS rows there
(products, orders, inventory_locks, cart_items...: read from the catalog, so that a new table
is covered).

    BENCH_DATABASE=jk_bench_perf .venv/bin/python -m pytest bench/test_plans.py

bench/run.py runs it after building or reusing the database and fails the bench when it fails.
Not part of `make test` (tests/ is): it needs the benchmark database.
"""

from __future__ import annotations

import json

import psycopg
import pytest

from bench.run import BENCH_DB, bench_url

LARGE_ROWS = 10_000
BENCH_PRODUCTS = 100_000

# The hot calls, one line each: (name, the SQL the API runs); a new one (api.list_orders, say)
# is one more line. Arguments are benchmark rows: categories 1 and 2 (top level) and 15 (a
# leaf), product 5000, user 5001 (every third user above 5000 has an open cart).
HOT_CALLS = [
    (
        "products: category, age, price, price_asc",
        "SELECT api.list_products(p_category_id => 1, p_age_months => 36,"
        " p_min_price => 20000, p_max_price => 520000, p_sort => 'price_asc')",
    ),
    (
        "products: leaf category, age, price, price_desc",
        "SELECT api.list_products(p_category_id => 15, p_age_months => 36,"
        " p_min_price => 20000, p_max_price => 520000, p_sort => 'price_desc')",
    ),
    ("products: q one word, relevance", "SELECT api.list_products(p_q => 'wooden')"),
    ("products: q two words, relevance", "SELECT api.list_products(p_q => 'wooden train')"),
    (
        "products: q one word, price_asc",
        "SELECT api.list_products(p_q => 'teddy', p_sort => 'price_asc')",
    ),
    (
        "products: q and category",
        "SELECT api.list_products(p_q => 'puzzle', p_category_id => 1)",
    ),
    ("products: brand", "SELECT api.list_products(p_brand => 'lego')"),
    (
        "products: brand, gender, newest",
        "SELECT api.list_products(p_brand => 'chicco', p_gender => 'girl', p_sort => 'newest')",
    ),
    (
        "products: category, in_stock",
        "SELECT api.list_products(p_category_id => 1, p_in_stock => TRUE)",
    ),
    (
        "products: leaf category, out of stock",
        "SELECT api.list_products(p_category_id => 15, p_in_stock => FALSE)",
    ),
    (
        "products: category, gender, in_stock, newest",
        "SELECT api.list_products(p_category_id => 2, p_gender => 'boy', p_in_stock => TRUE,"
        " p_sort => 'newest')",
    ),
    ("products: everything (relevance)", "SELECT api.list_products()"),
    ("products: everything, newest", "SELECT api.list_products(p_sort => 'newest')"),
    ("products: everything, price_desc", "SELECT api.list_products(p_sort => 'price_desc')"),
    (
        "products: category, popularity",
        "SELECT api.list_products(1, 20, 1, p_sort => 'popularity')",
    ),
    ("products: age, page 5", "SELECT api.list_products(5, 20, p_age_months => 24)"),
    ("product detail", "SELECT api.get_product(5000)"),
    ("categories", "SELECT api.list_categories()"),
    ("cart", "SELECT internal.cart_body(5001)"),
]


def seq_scans(plan: dict, large: set[str]) -> list[str]:
    """The large tables a plan (a node of EXPLAIN (FORMAT JSON) and its children) reads whole."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in large:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += seq_scans(child, large)
    return found


@pytest.fixture(scope="module")
def conn():
    try:
        connection = psycopg.connect(bench_url(), connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"the benchmark database {BENCH_DB} is not there ({exc}); build it with "
            "`make bench` (bench/run.py builds it before measuring)",
            pytrace=False,
        )
    with connection:
        built = connection.execute("SELECT to_regclass('store.products') IS NOT NULL").fetchone()[0]
        products = built and connection.execute("SELECT count(*) FROM store.products").fetchone()[0]
        if products < BENCH_PRODUCTS:
            pytest.fail(
                f"{BENCH_DB} holds {products} products, not the benchmark store's "
                f"{BENCH_PRODUCTS:,}: build it with `make bench BENCH_ARGS=--rebuild`",
                pytrace=False,
            )
        # Every statement's plan, nested ones included, comes back as a NOTICE in JSON.
        connection.execute("LOAD 'auto_explain'")
        for setting, value in {
            "log_min_duration": "0",
            "log_nested_statements": "on",
            "log_format": "json",
            "log_level": "notice",
        }.items():
            connection.execute(f"SET auto_explain.{setting} = {value}")
        yield connection


@pytest.fixture(scope="module")
def large_tables(conn) -> set[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_catalog.pg_class AS c"
        " WHERE c.relnamespace = 'store'::regnamespace AND c.relkind = 'r' AND c.reltuples > %s",
        (LARGE_ROWS,),
    )
    return {name for (name,) in rows}


def plans_of(conn: psycopg.Connection, call: str) -> list[dict]:
    """Runs the call (rolled back) and returns the plan of every statement it ran."""
    plans: list[dict] = []

    def keep(notice: psycopg.errors.Diagnostic) -> None:
        head, _, plan = (notice.message_primary or "").partition("plan:")
        if plan and head.startswith("duration:"):
            plans.append(json.loads(plan))

    conn.add_notice_handler(keep)
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(call)
    finally:
        conn.remove_notice_handler(keep)
    return plans


@pytest.mark.parametrize("call", [call for _, call in HOT_CALLS], ids=[n for n, _ in HOT_CALLS])
def test_no_seq_scan_on_a_large_table(conn, large_tables, call):
    plans = plans_of(conn, call)
    assert plans, "auto_explain reported no plan"
    problems = [
        f"Seq Scan on {table} in:\n{plan['Query Text'].strip()}"
        for plan in plans
        for table in seq_scans(plan["Plan"], large_tables)
    ]
    assert not problems, "\n\n".join(dict.fromkeys(problems))


def test_the_check_sees_a_nested_seq_scan():
    plan = {
        "Node Type": "Aggregate",
        "Plans": [
            {"Node Type": "Index Scan", "Relation Name": "products"},
            {"Node Type": "Seq Scan", "Relation Name": "categories"},
            {
                "Node Type": "Hash",
                "Plans": [{"Node Type": "Seq Scan", "Relation Name": "inventory"}],
            },
        ],
    }
    assert seq_scans(plan, {"products", "inventory"}) == ["inventory"]
