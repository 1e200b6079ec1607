"""`make bench`'s events (issue 19): `--only events`, or part of a whole run.

The whole bench runs beside a worker (`python -m app.worker`, app/worker.py) on the bench
database, as production does: every checkout writes events, and the relay publishes them to
RabbitMQ under a BROKER_PREFIX of the bench's own, removed at the end. This section measures:

  1. What events cost the checkout: pgbench's checkout (bench/pgbench/checkout.sql) at
     --connections, in turns of TURN_SECONDS of three kinds: "on", events written and the
     worker publishing and consuming them on the same 2 cores, as a one-machine store would;
     "rows", events written with the worker paused (SIGSTOP; it catches up after), the
     database's share alone; "off", internal.emit_event a no-op (its definition restored
     after, failure or not).
  2. The relay and a consumer at full speed: BURST events (topic order.bench, which the
     notifications consumer takes and sends nothing for) written in one transaction; the time
     until the relay has published them all, and until the consumer has recorded them all.
  3. Event delay under the checkout load: bench/checkout.py's buyers through the API for
     --seconds; of the events written meanwhile, published_at - created_at (the writing
     transaction's start to the relay's mark), p50, p99 and max, and how many each consumer
     has handled.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from app.broker import Topology
from app.settings import Settings
from bench.run import (
    APPS,
    BUYERS,
    ROOT,
    SCENARIOS,
    SERVER_ENV,
    bearer_token,
    log,
    reset_carts,
    run_checkout,
    run_pgbench,
    start_server,
)
from db.migrate import logged_in_as
from tests.worker import delete_queues

SECTION = "events"
TURN_SECONDS = 5
# The turns' kinds (1. above), alternated so that each meets the machine's drift.
TURN_ORDER = ("on", "rows", "off", "off", "rows", "on", "on", "rows", "off", "off", "rows", "on")
BURST = 20_000
NO_OP = (
    "CREATE OR REPLACE FUNCTION internal.emit_event("
    "p_topic text, p_user_id bigint, p_order_id bigint, p_payload jsonb) "
    "RETURNS void LANGUAGE sql VOLATILE AS 'SELECT NULL::void'"
)


@dataclass
class EventsResults:
    turns: dict[str, list[float]]  # kind (TURN_ORDER) -> checkouts a second, pgbench, a turn each
    burst_published_s: float
    burst_handled_s: float
    checkouts: int  # through the API, during the delay measurement
    events: int  # written meanwhile
    delay_ms: tuple[float, float, float]  # p50, p99, max
    unhandled: dict[str, int]  # consumer -> events bound to it not handled at the end


@contextlib.contextmanager
def running_worker(url: str, folder: Path) -> Iterator[subprocess.Popen]:
    """A worker on the bench database (as jiokidz_worker) under a prefix of its own; stopped
    and its queues removed at the end."""
    prefix = f"jiokidz_bench_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        **SERVER_ENV,
        "WORKER_DATABASE_URL": logged_in_as(url, Settings.from_env().worker_database_url),
        "BROKER_PREFIX": prefix,
        "SWEEP_INTERVAL_SECONDS": "0",
    }
    worker_log = folder / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "app.worker"],
        cwd=ROOT,
        env=env,
        stdout=worker_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while "worker started" not in worker_log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"bench: the worker did not start; see {worker_log}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        settings = Settings.from_env(env)
        asyncio.run(delete_queues(Topology.of(settings), settings.broker_url))


@contextlib.contextmanager
def events_off(url: str) -> Iterator[None]:
    """internal.emit_event as a no-op within the block; as it was after, failure or not."""
    with psycopg.connect(url, autocommit=True) as conn:
        original = conn.execute(
            "SELECT pg_get_functiondef(%s::regprocedure)",
            ("internal.emit_event(text,bigint,bigint,jsonb)",),
        ).fetchone()[0]
        conn.execute(NO_OP)
        try:
            yield
        finally:
            conn.execute(original)


def wait_until(url: str, query: str, params: tuple = (), seconds: float = 600) -> float:
    """Seconds until `query` answers true."""
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        while not conn.execute(query, params).fetchone()[0]:
            if time.monotonic() - started > seconds:
                sys.exit(f"bench: not done after {seconds} s: {query}")
            time.sleep(0.05)
    return time.monotonic() - started


def measure_burst(url: str) -> tuple[float, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        first = conn.execute("SELECT coalesce(max(id), 0) FROM store.outbox_events").fetchone()[0]
        conn.execute(
            "INSERT INTO store.outbox_events (user_id, topic, payload)"
            " SELECT 0, 'order.bench', jsonb_build_object('n', n) FROM generate_series(1, %s) AS n",
            (BURST,),
        )
    published = wait_until(
        url,
        "SELECT NOT EXISTS (SELECT FROM store.outbox_events"
        " WHERE id > %s AND published_at IS NULL)",
        (first,),
    )
    handled = wait_until(
        url,
        "SELECT count(*) = %s FROM store.processed_messages"
        " WHERE consumer = 'notifications' AND event_id > %s",
        (BURST, first),
    )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "DELETE FROM store.processed_messages WHERE event_id IN (SELECT id FROM"
            " store.outbox_events WHERE topic = 'order.bench' AND id > %s)",
            (first,),
        )
        conn.execute(
            "DELETE FROM store.outbox_events WHERE topic = 'order.bench' AND id > %s", (first,)
        )
    return published, max(published, handled)


def measure_delay(url: str, args: argparse.Namespace, folder: Path) -> tuple:
    with psycopg.connect(url, autocommit=True) as conn:
        first = conn.execute("SELECT coalesce(max(id), 0) FROM store.outbox_events").fetchone()[0]
    reset_carts(url)
    api, base = start_server(APPS["API"], url, args.workers, folder / "events-api.log")
    try:
        buyers = [(user_id, bearer_token(user_id)) for user_id in BUYERS]
        sample = run_checkout(base, buyers, args.seconds, args.connections)
    finally:
        api.terminate()
        api.wait(timeout=15)
    wait_until(
        url,
        "SELECT NOT EXISTS (SELECT FROM store.outbox_events WHERE id > %s"
        " AND published_at IS NULL)",
        (first,),
    )
    time.sleep(2)  # the consumers finish what the relay has just published
    with psycopg.connect(url, autocommit=True) as conn:
        events, p50, p99, worst = conn.execute(
            "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY d),"
            " percentile_cont(0.99) WITHIN GROUP (ORDER BY d), max(d)"
            " FROM (SELECT extract(EPOCH FROM published_at - created_at) * 1000 AS d"
            " FROM store.outbox_events WHERE id > %s) AS delays",
            (first,),
        ).fetchone()
        unhandled = {}
        for consumer, patterns in {
            "refunds": "^refund\\.requested$",
            "notifications": "^(order\\.[a-z_]+|refund\\.settled)$",
        }.items():
            unhandled[consumer] = conn.execute(
                "SELECT count(*) FROM store.outbox_events AS e WHERE e.id > %s AND e.topic ~ %s"
                " AND NOT EXISTS (SELECT FROM store.processed_messages AS m"
                " WHERE m.event_id = e.id AND m.consumer = %s)",
                (first, patterns, consumer),
            ).fetchone()[0]
    return sample.requests, events, (p50 or 0.0, p99 or 0.0, worst or 0.0), unhandled


@contextlib.contextmanager
def paused(worker: subprocess.Popen, url: str) -> Iterator[None]:
    """The worker stopped within the block; after it, resumed and caught up (the outbox empty,
    its consumers given a second), so that its backlog weighs on no other turn."""
    worker.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        worker.send_signal(signal.SIGCONT)
    wait_until(
        url, "SELECT NOT EXISTS (SELECT FROM store.outbox_events WHERE published_at IS NULL)"
    )
    time.sleep(1)


def run(
    url: str, args: argparse.Namespace, folder: Path, worker: subprocess.Popen
) -> EventsResults:
    checkout = next(s for s in SCENARIOS if s.name == "checkout")
    turns: dict[str, list[float]] = {"on": [], "rows": [], "off": []}
    log("events: what they cost the checkout (pgbench: worker on, worker paused, no events)")
    conditions = {
        "on": contextlib.nullcontext,
        "rows": lambda: paused(worker, url),
        "off": lambda: events_off(url),
    }
    for kind in TURN_ORDER:
        reset_carts(url)
        with conditions[kind]():
            turns[kind].append(run_pgbench(url, checkout, TURN_SECONDS, args.connections).rps)
    log(f"events: a burst of {BURST:,} events through the relay and a consumer")
    published, handled = measure_burst(url)
    log("events: publishing delay during checkouts through the API")
    checkouts, events, delay, unhandled = measure_delay(url, args, folder)
    reset_carts(url)
    return EventsResults(turns, published, handled, checkouts, events, delay, unhandled)


def report(results: EventsResults) -> list[str]:
    on, rows, off = (results.turns[kind] for kind in ("on", "rows", "off"))
    p50, p99, worst = results.delay_ms

    def listed(values: list[float]) -> str:
        return ", ".join(f"{v:.0f}" for v in values)

    return [
        "## Events (issue 19)",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| checkout ceiling, pgbench, turns of {TURN_SECONDS} s: events, worker running "
        f"| {listed(on)} /s |",
        f"| events, worker paused (the database's share) | {listed(rows)} /s |",
        f"| no events (internal.emit_event a no-op) | {listed(off)} /s |",
        f"| worker running / no events; worker paused / no events "
        f"| {sum(on) / sum(off):.2f}; {sum(rows) / sum(off):.2f} |",
        f"| {BURST:,} events published by the relay | {results.burst_published_s:.1f} s "
        f"({BURST / results.burst_published_s:,.0f} events/s) |",
        f"| ... and recorded by the notifications consumer | {results.burst_handled_s:.1f} s "
        f"({BURST / results.burst_handled_s:,.0f} events/s) |",
        f"| checkouts through the API meanwhile / events written | "
        f"{results.checkouts:,} / {results.events:,} |",
        f"| publishing delay p50 / p99 / max | {p50:.0f} / {p99:.0f} / {worst:.0f} ms |",
        f"| events not handled at the end (refunds, notifications) | "
        f"{results.unhandled['refunds']}, {results.unhandled['notifications']} |",
        "",
    ]
