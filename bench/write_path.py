"""`make bench`'s write path (issue 21): `--only write_path`, or part of a whole run.

1. The checkout against its database floor, side by side at --connections, in turns of
   TURN_SECONDS in the order of TURN_ORDER:
   - floor: bench/pgbench/checkout_floor.sql, the least a correct paid order costs (one
     statement: lock and take the stock, insert the order, its line with its GST and the
     captured payment);
   - ceiling: bench/pgbench/checkout.sql, the store's five procedure calls (pgbench);
   - API: the same checkout through the API (bench/checkout.py), as `make run` serves it.
   Targets: ceiling at least CEILING_OF_FLOOR of the floor, API at least API_OF_CEILING of the
   ceiling. The floor's orders are deleted after each of its turns, so the store and its
   invariants are as before. The worker is paused throughout (the events are written and
   published after), so that the three measure the database and the web tier, not the
   worker publishing on the same cores.
2. Where a checkout's statement time goes, one client at a time (no waiting on others):
   - `pgbench -r` of both scripts for PROFILE_SECONDS: each top-level call's latency;
   - inside the procedures: PROFILE_CHECKOUTS checkouts of checkout.sql's statements on one
     connection with auto_explain loaded for that session (nested statements, to the client
     as notices, no ANALYZE), so that every statement the procedures and their triggers run
     comes back with its duration. Grouped by statement text: calls and milliseconds per
     checkout. A statement's time includes the statements it runs (a procedure's includes its
     body), and each logged statement adds the cost of logging it to its callers, so the top
     lines read somewhat higher than pgbench -r's.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from bench.events import paused
from bench.run import (
    APPS,
    BENCH,
    BUYERS,
    SCENARIOS,
    Measure,
    Sample,
    bearer_token,
    buyer_defines,
    combined,
    log,
    pgbench_env,
    reset_carts,
    run_checkout,
    run_pgbench,
    start_server,
)

SECTION = "write_path"
TURN_SECONDS = 6
TURN_ORDER = ("floor", "ceiling", "API", "API", "ceiling", "floor") * 2
CEILING_OF_FLOOR, API_OF_CEILING = 0.5, 0.8
PROFILE_SECONDS = 10
PROFILE_CHECKOUTS = 200
PROFILE_WARMUP = 20
PROFILE_LINES = 30  # the costliest statements shown
VARIABLE = r"(?<!:):(?!:)([a-z_]+)"  # pgbench's :name, not a ::cast
FLOOR_ORDERS = "floor_"  # how the floor's gateway order ids begin (checkout_floor.sql)
# auto_explain for one session: every statement, nested ones too, sent to the client.
AUTO_EXPLAIN = (
    "LOAD 'auto_explain'",
    "SET auto_explain.log_min_duration = 0",
    "SET auto_explain.log_nested_statements = on",
    "SET auto_explain.log_format = json",
    "SET auto_explain.log_level = notice",
)


@dataclass
class Statement:
    text: str  # the statement, whitespace collapsed
    calls: int
    ms: float  # summed over the profiled checkouts


@dataclass
class WritePathResults:
    turns: dict[str, list[Measure]]  # floor, ceiling: one pgbench Measure a turn
    api: Measure
    statement_ms: dict[str, list[tuple[str, float]]]  # script -> (statement, ms), pgbench -r
    profile: list[Statement] | None  # None: auto_explain could not be loaded
    profile_note: str
    checkouts_profiled: int


def delete_floor_orders(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "WITH paid AS (DELETE FROM store.payments WHERE starts_with(gateway_order_id, %s)"
            " RETURNING user_id, order_id)"
            " DELETE FROM store.orders AS o USING paid"
            " WHERE o.user_id = paid.user_id AND o.id = paid.order_id",
            (FLOOR_ORDERS,),
        )


def statement_latencies(url: str, script: str, seconds: int) -> list[tuple[str, float]]:
    """pgbench -r at one client: each SQL line of the script and its mean latency, ms."""
    output = subprocess.run(
        [
            *("pgbench", *buyer_defines(1), "-n", "-M", "prepared", "-r"),
            *("-c", "1", "-T", str(seconds), "-f", str(BENCH / "pgbench" / f"{script}.sql")),
        ],
        capture_output=True,
        text=True,
        env=pgbench_env(url),
        check=True,
    ).stdout
    lines = output.split("statement latencies in milliseconds", 1)[1].splitlines()[1:]
    latencies = []
    for line in lines:
        match = re.match(r"\s+([\d.]+)\s+\d+\s+(.*)$", line)
        if match and not match.group(2).startswith("\\"):
            latencies.append((match.group(2).strip(), float(match.group(1))))
    return latencies


def checkout_statements() -> list[tuple[str, list[str]]]:
    """checkout.sql's SQL lines as psycopg queries, each with the variables its %s stand for:
    every `:name` becomes a parameter of its own, as pgbench -M prepared makes it (one variable
    may be read as two types), and `\\gset` goes (the profile keeps each row's columns as
    variables, as pgbench does)."""
    statements = []
    for line in (BENCH / "pgbench" / "checkout.sql").read_text().splitlines():
        if line.startswith("SELECT"):
            query = line.removesuffix(" \\gset")
            names = re.findall(VARIABLE, query)
            statements.append((re.sub(VARIABLE, "%s", query), names))
    return statements


def profile_checkouts(url: str, checkouts: int) -> tuple[list[Statement] | None, str]:
    """The statements run inside `checkouts` checkouts, from auto_explain (see the module's
    docstring); None and why when auto_explain cannot be loaded (LOAD needs a superuser)."""
    statements = checkout_statements()
    found: dict[str, Statement] = {}
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        try:
            for setting in AUTO_EXPLAIN:
                conn.execute(setting)
        except psycopg.Error as exc:
            return None, f"auto_explain not loaded ({exc.diag.message_primary})"
        notices: list[str] = []
        conn.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
        # The first PROFILE_WARMUP checkouts plan the session's statements; they are not counted.
        for k in range(PROFILE_WARMUP + checkouts):
            # A buyer each, and products from the ranges checkout.sql draws from.
            names = {"user": BUYERS[k], "product": 1000 + 101 * (k % 990) + 1 + k % 100}
            for query, variables in statements:
                notices.clear()
                row = conn.execute(query, [names[v] for v in variables]).fetchone()
                names |= row or {}
                for notice in notices if k >= PROFILE_WARMUP else ():
                    duration, _, plan = notice.partition(" ms  plan:\n")
                    text = " ".join(json.loads(plan)["Query Text"].split())
                    entry = found.setdefault(text, Statement(text, 0, 0.0))
                    entry.calls += 1
                    entry.ms += float(duration.removeprefix("duration: "))
    return sorted(found.values(), key=lambda s: -s.ms), "auto_explain"


def run(
    url: str, args: argparse.Namespace, folder: Path, worker: subprocess.Popen
) -> WritePathResults:
    # The database alone: the worker, which would publish the checkouts' events on the same
    # cores (bench/events.py measures that), is paused; it catches up after the section.
    with paused(worker, url):
        return measure(url, args, folder)


def measure(url: str, args: argparse.Namespace, folder: Path) -> WritePathResults:
    checkout = next(s for s in SCENARIOS if s.name == "checkout")
    turns: dict[str, list[Measure]] = {"floor": [], "ceiling": []}
    api_samples: list[Sample] = []
    log("write path: the checkout's database floor, ceiling and API, in turns")
    api, base = start_server(APPS["API"], url, args.workers, folder / "write-path-api.log")
    try:
        buyers = [(user_id, bearer_token(user_id)) for user_id in BUYERS]
        for side in TURN_ORDER:
            reset_carts(url)
            if side == "API":
                api_samples.append(run_checkout(base, buyers, TURN_SECONDS, args.connections))
                continue
            script = "checkout_floor" if side == "floor" else None
            turns[side].append(
                run_pgbench(url, checkout, TURN_SECONDS, args.connections, script=script)
            )
            delete_floor_orders(url)
    finally:
        api.terminate()
        api.wait(timeout=15)
    log("write path: pgbench -r at one client, then the procedures' statements (auto_explain)")
    reset_carts(url)
    statement_ms = {
        script: statement_latencies(url, script, PROFILE_SECONDS)
        for script in ("checkout", "checkout_floor")
    }
    delete_floor_orders(url)
    reset_carts(url)
    profile, note = profile_checkouts(url, PROFILE_CHECKOUTS)
    reset_carts(url)
    return WritePathResults(
        turns, combined(api_samples), statement_ms, profile, note, PROFILE_CHECKOUTS
    )


def report(results: WritePathResults) -> list[str]:
    floor, ceiling = (results.turns[side] for side in ("floor", "ceiling"))

    def rate(measures: list[Measure]) -> float:
        return sum(m.rps for m in measures) / len(measures)

    floor_rps, ceiling_rps, api_rps = rate(floor), rate(ceiling), results.api.rps
    ceiling_met = ceiling_rps >= CEILING_OF_FLOOR * floor_rps
    api_met = api_rps >= API_OF_CEILING * ceiling_rps

    def turns_of(measures: list[Measure]) -> str:
        return ", ".join(f"{m.rps:,.0f}" for m in measures)

    lines = [
        "## The write path (issue 21)",
        "",
        f"Checkouts a second, in turns of {TURN_SECONDS} s in the order "
        f"{', '.join(TURN_ORDER[:6])}..., the worker paused (API errors: "
        f"{results.api.errors}). "
        "Floor: bench/pgbench/checkout_floor.sql (one statement: stock, order, line with "
        "GST, captured payment). Ceiling: bench/pgbench/checkout.sql (add to cart, create "
        "order, register and attach the payment, verify). API: bench/checkout.py.",
        "",
        "| side | checkouts/s | turns | p99 ms (worst turn) | ratio | target | met |",
        "| --- | ---: | --- | ---: | ---: | --- | --- |",
        f"| database floor | {floor_rps:,.0f} | {turns_of(floor)} "
        f"| {max(m.p99_ms for m in floor):.1f} | — | — | — |",
        f"| ceiling (pgbench) | {ceiling_rps:,.0f} | {turns_of(ceiling)} "
        f"| {max(m.p99_ms for m in ceiling):.1f} | {ceiling_rps / floor_rps:.2f} of the floor "
        f"| ≥ {CEILING_OF_FLOOR} | {'yes' if ceiling_met else 'no'} |",
        f"| API | {api_rps:,.0f} | — | {results.api.p99_ms:.1f} "
        f"| {api_rps / ceiling_rps:.2f} of the ceiling | ≥ {API_OF_CEILING} "
        f"| {'yes' if api_met else 'no'} |",
        "",
        "### Per statement, one client (pgbench -r, mean ms)",
        "",
        "| script | statement | ms |",
        "| --- | --- | ---: |",
    ]
    for script, statements in results.statement_ms.items():
        for text, ms in statements:
            lines.append(f"| {script} | `{text[:90]}` | {ms:.3f} |")
        lines.append(f"| {script} | **all** | **{sum(ms for _, ms in statements):.3f}** |")
    lines += ["", "### Inside the procedures (auto_explain, nested statements)", ""]
    if results.profile is None:
        return [*lines, f"Not measured: {results.profile_note}.", ""]
    n = results.checkouts_profiled
    statements = sum(statement.calls for statement in results.profile) / n
    lines += [
        f"{n} checkouts, one at a time: {statements:.0f} statements a checkout, of "
        f"{len(results.profile)} kinds; the {PROFILE_LINES} costliest by ms per checkout. A "
        "line's time includes what it calls.",
        "",
        "| statement | calls per checkout | ms per checkout |",
        "| --- | ---: | ---: |",
    ]
    for statement in results.profile[:PROFILE_LINES]:
        text = statement.text.replace("|", "\\|")
        lines.append(f"| `{text[:110]}` | {statement.calls / n:.1f} | {statement.ms / n:.3f} |")
    return [*lines, ""]
