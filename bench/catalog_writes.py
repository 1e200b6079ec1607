"""`make bench`'s catalog writes during checkouts (issue 21): `--only catalog_writes`, or part
of a whole run.

A bulk price change of BULK_PRODUCTS (10,000) products, made as a DBA makes it: one UPDATE
statement logged in as the tables' owner (OWNER_DATABASE_URL's login); the staff API changes
one product a request (PATCH /admin/products/{id}). It runs while bench/checkout.py's buyers
check out through the API. The UPDATE holds each changed row's lock until it commits; a
checkout reads product rows and writes none (a sale counts its units on the stock row), so it
should not wait, and the section shows whether it does. Measured on the bench database:

  1. The API served by `uvicorn --workers N` with the catalog cache on: REDIS_URL to a private
     redis-server (bench.catalog.bench_redis) under a REDIS_KEY_PREFIX of its own, no replica.
  2. Checkouts at --connections in turns of --seconds of two kinds, "quiet" (no catalog write)
     and "bulk" (one bulk change starting BULK_START of the way in), in the order quiet, bulk,
     bulk, quiet, quiet, bulk, bulk, quiet (TURN_ORDER), so that both meet the machine's drift
     alike. Per side: checkouts a second, p50, p99, max, failures. Target: the bulk side's p99
     at most P99_RATIO (2) times the quiet side's, and no failed checkout.
  3. The bulk change: the same products each time, every 10th bench product (1010, 1020, ...,
     101000); their price cut by PRICE_CUT paise in one turn and put back in the next, so a
     price stays at or under its mrp and above 0 (products_mrp_not_below_price,
     products_price_non_negative). The statement's seconds, and, sampled while it runs
     (pg_stat_activity, LOCK_SAMPLE_SECONDS between samples), how many of the API's sessions
     wait on a lock, how many of those the UPDATE blocks itself, and whether it waits itself.
  4. Freshness: FRESH_SAMPLE of the changed products are read into the cache just before the
     UPDATE; right after its commit, each is read anonymously (GET /products/{id}), one request
     after the other, until the new price shows. The time from the commit to that answer is
     judged against bench/catalog.py's FRESH_SECONDS; CATALOG_CACHE_SECONDS (app/settings.py,
     300 s by default) bounds a missed invalidation only.

The change and its reads run in a process of their own (a spawned ProcessPoolExecutor): in a
thread they would take the checkout generator's interpreter lock, in bulk turns only, and
lengthen its checkouts. The prices are put back as they were at the start, failure or not;
bench/run.py's internal.check_invariants() follows, as after every section.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from psycopg.conninfo import conninfo_to_dict

from app.settings import Settings
from bench.catalog import (
    FRESH_GIVE_UP_SECONDS,
    FRESH_SECONDS,
    PRICE_CUT,
    bench_redis,
    log_summary,
    percentile,
    sigterm_as_exit,
    stop_process,
    wait_readyz,
)
from bench.run import (
    APPS,
    BUYERS,
    Measure,
    Sample,
    api_login,
    bearer_token,
    combined,
    log,
    reset_carts,
    run_checkout,
    start_server,
)
from db.migrate import logged_in_as

SECTION = "catalog_writes"  # its name for --only
TURN_ORDER = ("quiet", "bulk", "bulk", "quiet", "quiet", "bulk", "bulk", "quiet")
BULK_PRODUCTS, BULK_STEP = 10_000, 10
BENCH_PRODUCTS = range(1001, 101_001)  # bench/data.sql's ids
BULK_START = 0.25  # of a bulk turn: its checkouts are under way when the change starts
FRESH_SAMPLE = 20
P99_RATIO = 2.0
LOCK_SAMPLE_SECONDS = 0.01


@dataclass
class BulkChange:
    """One bulk change, as its process saw it."""

    delta: int  # paise added to each price
    rows: int
    statement_seconds: float  # the UPDATE, sent to committed (autocommit)
    lock_samples: int = 0
    api_waiting_max: int = 0  # the API's sessions waiting on a lock at once, most seen
    api_behind_update_max: int = 0  # ... of them, those the UPDATE itself blocks
    samples_with_api_waiting: int = 0
    samples_update_waiting: int = 0  # the UPDATE itself waiting on a lock
    delays: list[float] = field(default_factory=list)  # commit to first fresh read, seconds
    stale_reads: int = 0
    failed_reads: int = 0
    missed: int = 0  # not fresh within FRESH_GIVE_UP_SECONDS


@dataclass
class WritesResults:
    turns: list[tuple[str, Sample]]  # in TURN_ORDER
    changes: list[BulkChange]
    seconds: int
    connections: int
    workers: int
    redis_note: str
    restored: int  # prices put back at the end (0 when the turns left them as they were)
    log_lines: Counter = field(default_factory=Counter)


# -- pure helpers (tests/test_bench.py) ---------------------------------------------------------


def changed_products() -> list[int]:
    """The products every bulk change reprices: every BULK_STEP-th bench product (1010, 1020,
    ..., 101000)."""
    return [product for product in BENCH_PRODUCTS if product % BULK_STEP == 0]


def fresh_sample(products: list[int]) -> list[int]:
    """FRESH_SAMPLE of them, spread over the UPDATE's whole range."""
    return products[:: len(products) // FRESH_SAMPLE][:FRESH_SAMPLE]


def bulk_deltas(order: tuple[str, ...] = TURN_ORDER) -> list[int]:
    """The price change of each bulk turn: a cut, then the cut put back, and so on."""
    bulk_turns = order.count("bulk")
    return [-PRICE_CUT if n % 2 == 0 else PRICE_CUT for n in range(bulk_turns)]


def max_ms(samples: list[Sample]) -> float:
    return max((max(s.latencies, default=0) for s in samples), default=0) / 1000


def judge(quiet: Measure, bulk: Measure, changes: list[BulkChange]) -> str:
    """ "yes", or "no:" and what misses: the p99 ratio, failed checkouts, a read not fresh in
    time."""
    misses = []
    if bulk.p99_ms > P99_RATIO * quiet.p99_ms:
        misses.append("p99")
    if quiet.errors or bulk.errors:
        misses.append("failed checkouts")
    delays = [delay for change in changes for delay in change.delays]
    if not delays or max(delays) > FRESH_SECONDS or any(change.missed for change in changes):
        misses.append("freshness")
    return f"no: {', '.join(misses)}" if misses else "yes"


# -- the bulk change, in its own process -------------------------------------------------------


def bulk_change(
    owner_url: str,
    admin_url: str,
    api_user: str,
    base: str,
    delta: int,
    products: list[int],
    sample: list[int],
    start_after: float,
) -> BulkChange:
    """Read `sample` into the cache, wait until `start_after` seconds from the call, add
    `delta` to the prices of `products` in one UPDATE (lock waits sampled meanwhile), then
    time the sample's first fresh reads."""
    started = time.monotonic()
    asyncio.run(read_once(base, sample))
    time.sleep(max(0.0, start_after - (time.monotonic() - started)))
    with psycopg.connect(owner_url, autocommit=True) as conn:
        sampler = LockSampler(admin_url, api_user, conn.info.backend_pid)
        sampler.start()
        sent = time.monotonic()
        try:
            rows = conn.execute(
                "UPDATE store.products SET price = price + %s, updated_at = now()"
                " WHERE id = ANY(%s) RETURNING id, price",
                (delta, products),
            ).fetchall()
        finally:
            sampler.stopping.set()
        committed = time.monotonic()
        sampler.join(timeout=10)
    change = BulkChange(delta, len(rows), committed - sent)
    sampler.fill(change)
    new_prices = {product: price for product, price in rows if product in sample}
    polls = asyncio.run(read_until_fresh(base, new_prices, committed))
    for delay, stale, failed, missed in polls:
        change.delays.append(delay)
        change.stale_reads += stale
        change.failed_reads += failed
        change.missed += missed
    return change


async def read_once(base: str, sample: list[int]) -> None:
    """Each product read twice: the first read may be the miss that stores it."""
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=30) as http:
        for _ in range(2):
            await asyncio.gather(*(http.get(f"/products/{product}") for product in sample))


async def read_until_fresh(
    base: str, new_prices: dict[int, int], committed: float
) -> list[tuple[float, int, int, bool]]:
    """For each product at once: (seconds from `committed` to the first answer showing its new
    price, stale answers before it, failed ones, whether it was given up on)."""
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=FRESH_GIVE_UP_SECONDS) as http:

        async def poll(product: int, price: int) -> tuple[float, int, int, bool]:
            stale = failed = 0
            while True:
                answer = await http.get(f"/products/{product}")
                seen = time.monotonic() - committed
                if answer.status_code != 200:
                    failed += 1
                elif answer.json()["price"] == price:
                    return seen, stale, failed, False
                else:
                    stale += 1
                if seen > FRESH_GIVE_UP_SECONDS:
                    return FRESH_GIVE_UP_SECONDS, stale, failed, True

        return await asyncio.gather(*(poll(p, price) for p, price in new_prices.items()))


class LockSampler(threading.Thread):
    """Until stopped, LOCK_SAMPLE_SECONDS between samples, as the admin (who sees every
    session's wait): how many of the API's sessions wait on a lock, how many of those the
    UPDATE blocks itself (the others queue behind a session it blocks, or wait on something
    else), and whether the UPDATE's own backend waits."""

    QUERY = (
        "SELECT count(*) FILTER (WHERE a.waiting),"
        " count(*) FILTER (WHERE a.waiting AND %(update)s = ANY(pg_blocking_pids(a.pid))),"
        " coalesce(bool_or(a.pid = %(update)s AND a.wait_event_type = 'Lock'), false)"
        " FROM (SELECT pid, wait_event_type,"
        " usename = %(api)s AND wait_event_type = 'Lock' AS waiting"
        " FROM pg_stat_activity WHERE datname = current_database()) AS a"
    )

    def __init__(self, admin_url: str, api_user: str, update_pid: int):
        super().__init__(name="lock-sampler", daemon=True)
        self.admin_url, self.api_user, self.update_pid = admin_url, api_user, update_pid
        self.stopping = threading.Event()
        self.waiting: list[tuple[int, int, bool]] = []

    def run(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            while not self.stopping.is_set():
                found = conn.execute(
                    self.QUERY, {"api": self.api_user, "update": self.update_pid}
                ).fetchone()
                self.waiting.append(found)
                self.stopping.wait(LOCK_SAMPLE_SECONDS)

    def fill(self, change: BulkChange) -> None:
        change.lock_samples = len(self.waiting)
        change.api_waiting_max = max((n for n, _, _ in self.waiting), default=0)
        change.api_behind_update_max = max((n for _, n, _ in self.waiting), default=0)
        change.samples_with_api_waiting = sum(n > 0 for n, _, _ in self.waiting)
        change.samples_update_waiting = sum(waits for _, _, waits in self.waiting)


# -- the section --------------------------------------------------------------------------------


def prices_of(url: str, products: list[int]) -> dict[int, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT id, price FROM store.products WHERE id = ANY(%s)", (products,)
        ).fetchall()
    return dict(rows)


def restore_prices(url: str, original: dict[int, int]) -> int:
    """The prices as they were at the start; the number of products put back."""
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "UPDATE store.products AS p SET price = o.price"
            " FROM unnest(%s::bigint[], %s::bigint[]) AS o (id, price)"
            " WHERE p.id = o.id AND p.price <> o.price",
            (list(original), list(original.values())),
        ).rowcount


def run(url: str, args: argparse.Namespace, folder: Path) -> WritesResults:
    """The whole section; the server, Redis and the change's process are gone, and the prices
    put back, when it returns or raises."""
    owner_url = logged_in_as(url, Settings.from_env().owner_database_url)
    api_user = str(conninfo_to_dict(api_login(url)).get("user"))
    products = changed_products()
    sample = fresh_sample(products)
    buyers = [(user_id, bearer_token(user_id)) for user_id in BUYERS]
    original = prices_of(url, products)
    turns: list[tuple[str, Sample]] = []
    changes: list[BulkChange] = []
    restored = 0
    with ExitStack() as stack:
        stack.enter_context(sigterm_as_exit())

        def put_back() -> None:
            nonlocal restored
            restored = restore_prices(url, original)

        stack.callback(put_back)  # last, after the server and the change's process are gone
        redis_url, redis_note = stack.enter_context(bench_redis(folder))
        env = {
            "REDIS_URL": redis_url,
            "REDIS_KEY_PREFIX": f"jiokidz_bench_{os.getpid()}_{secrets.token_hex(3)}",
            "REPLICA_DATABASE_URL": "",
        }
        api_log = folder / "writes-api.log"
        process, base = start_server(APPS["API"], url, args.workers, api_log, env)
        stack.callback(stop_process, process)
        wait_readyz(base, lambda body: body.get("cache") == "on", "the cache")
        changer = stack.enter_context(
            ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        )
        changer.submit(int).result()  # its process started now, not during a turn
        log(f"catalog writes: checkouts at {args.connections} connections, warm-up")
        reset_carts(url)
        run_checkout(base, buyers, args.warmup, args.connections)
        deltas = iter(bulk_deltas())
        for kind in TURN_ORDER:
            reset_carts(url)
            pending = None
            if kind == "bulk":
                pending = changer.submit(
                    bulk_change,
                    *(owner_url, url, api_user, base, next(deltas), products, sample),
                    BULK_START * args.seconds,
                )
            measured = run_checkout(base, buyers, args.seconds, args.connections)
            turns.append((kind, measured))
            note = ""
            if pending is not None:
                change = pending.result()
                changes.append(change)
                note = (
                    f"; UPDATE of {change.rows:,} rows in {change.statement_seconds:.2f} s, "
                    f"fresh within {max(change.delays, default=0) * 1000:.0f} ms"
                )
            log(
                f"catalog writes: {kind} turn, {measured.requests / measured.seconds:.0f} "
                f"checkouts/s, {measured.errors} failed{note}"
            )
        log_lines = log_summary(api_log)
    reset_carts(url)
    return WritesResults(
        turns,
        changes,
        args.seconds,
        args.connections,
        args.workers,
        redis_note,
        restored,
        log_lines,
    )


# -- the results ---------------------------------------------------------------------------------


def report(results: WritesResults) -> list[str]:
    """The section's lines of bench/results.md."""
    samples = {kind: [s for k, s in results.turns if k == kind] for kind in ("quiet", "bulk")}
    sides = {kind: combined(samples[kind]) for kind in samples}
    quiet, bulk = sides["quiet"], sides["bulk"]
    changes = results.changes
    delays = [delay for change in changes for delay in change.delays]
    ratio = bulk.p99_ms / quiet.p99_ms if quiet.p99_ms else float("nan")
    lines = [
        "",
        "## Catalog writes during checkouts (issue 21)",
        "",
        f"bench/checkout.py's buyers through the API (`uvicorn --workers {results.workers}`, "
        f"the catalog cache on: REDIS_URL to {results.redis_note}) at {results.connections} "
        f"connections, in turns of {results.seconds} s: {', '.join(TURN_ORDER)}. In each bulk "
        f"turn, {BULK_START:.0%} of the way in, one UPDATE as the tables' owner changed the "
        f"price of {BULK_PRODUCTS:,} products (every {BULK_STEP}th bench product; cut by "
        f"{PRICE_CUT} paise, then put back in the next bulk turn). A checkout writes no "
        "product row: it should not wait for the UPDATE's row locks. The API's "
        f"pools hold {results.workers * Settings.from_env().db_pool_size} database connections "
        f"in all ({Settings.from_env().db_pool_size} a worker).",
        "",
        "| turns | checkouts | checkouts/s | p50 ms | p99 ms | max ms | p99 per turn, ms "
        "| failed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for kind, measure in sides.items():
        per_turn = ", ".join(f"{combined([s]).p99_ms:,.0f}" for s in samples[kind])
        lines.append(
            f"| {kind} ({len(samples[kind])}) | {sum(s.requests for s in samples[kind]):,} "
            f"| {measure.rps:,.1f} | {measure.p50_ms:,.1f} | {measure.p99_ms:,.1f} "
            f"| {max_ms(samples[kind]):,.0f} | {per_turn} | {measure.errors} |"
        )
    lines += [
        "",
        "| bulk change | rows | UPDATE took | API sessions waiting on a lock, most at once "
        "(blocked by the UPDATE itself) | samples with any | UPDATE waiting on a lock "
        "(samples) | commit to first fresh read, max | stale reads | failed reads |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for number, change in enumerate(changes, start=1):
        lines.append(
            f"| {number}: {change.delta:+d} paise | {change.rows:,} "
            f"| {change.statement_seconds * 1000:,.0f} ms "
            f"| {change.api_waiting_max} ({change.api_behind_update_max}) "
            f"| {change.samples_with_api_waiting} of {change.lock_samples} "
            f"| {change.samples_update_waiting} of {change.lock_samples} "
            f"| {max(change.delays, default=0) * 1000:,.0f} ms | {change.stale_reads} "
            f"| {change.failed_reads} |"
        )
    missed = sum(change.missed for change in changes)
    target = (
        f"checkout p99 with the bulk change ≤ {P99_RATIO:.0f}× quiet, no failed checkout; "
        f"every read fresh within {FRESH_SECONDS * 1000:.0f} ms"
    )
    lines += [
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| checkout p99, bulk / quiet | {bulk.p99_ms:,.1f} / {quiet.p99_ms:,.1f} ms = "
        f"{ratio:.2f} |",
        f"| commit to first fresh read, {len(delays)} reads ({FRESH_SAMPLE} products a change) "
        "p50 / p99 / max | "
        + (
            " / ".join(f"{percentile(delays, p) * 1000:,.0f}" for p in (0.5, 0.99, 1.0)) + " ms"
            if delays
            else "—"
        )
        + (f", {missed} not fresh in {FRESH_GIVE_UP_SECONDS:.0f} s" if missed else "")
        + " |",
        f"| target: {target} | {judge(quiet, bulk, changes)} |",
        "",
        "Freshness: each sampled product read into the cache just before the UPDATE, then read "
        "anonymously, one request after the other, from the UPDATE's return until its new price "
        f"showed (bench/catalog.py's target, {FRESH_SECONDS:.0f} s; CATALOG_CACHE_SECONDS only "
        "bounds an entry whose invalidation was missed). Lock waits: pg_stat_activity sampled "
        f"while the UPDATE ran, {LOCK_SAMPLE_SECONDS * 1000:.0f} ms between samples. Prices "
        "put back at "
        f"the end: {results.restored} (0: the turns had left them as they were).",
        "",
        "Warnings and errors in the server's log (count × level, logger: message, numbers as "
        "#): "
        + (", ".join(f"{n} × {m}" for m, n in results.log_lines.most_common(6)) or "none")
        + ".",
    ]
    return lines
