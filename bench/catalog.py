"""`make bench`'s catalog at scale (issue 18): `--only catalog_scale`, or part of a whole run.

On the bench database, side by side in one run:
  1. Catalog reads at each of --catalog-connections (default 32 and 256), anonymous (no token,
     so the cache applies), served three ways by `uvicorn --workers N` as the bench starts
     servers: "primary" (no REPLICA_DATABASE_URL, no REDIS_URL), "replica" (REPLICA_DATABASE_URL
     to a real streaming replica of the bench's primary) and "cache" (REDIS_URL too, and the
     replica). The three take turns in slices of 1 s (primary, replica, cache, cache, replica,
     primary...), so that each meets the same mix of the machine's fast and slow seconds; after
     each slice, the server just measured finishes what wrk left in flight (drain). GET
     /healthz on the same server is measured too: the web tier alone, a cached answer's bound.
  2. The replica's lag during the checkout load (bench/checkout.py against the replica side),
     sampled every 100 ms: pg_stat_replication's replay_lag and WAL bytes not yet replayed on
     the primary, and the API's own view (/readyz, replica.lag_seconds).
  3. Price change to first fresh read, at each of --catalog-connections: while wrk reads
     product pages from the cache side, a popular product's price changes on the primary, and
     GET /products/{id} is polled anonymously until the new price shows, --price-changes times.
  4. Checks: the replica's transactions against the reads routed to it, the servers' warnings
     and errors, the replica's log for queries waiting on or cancelled by replay.

The replica is made by scripts/replica.sh (a base backup of the whole cluster, timed) in a
folder of the bench's under /tmp, with a slot named like tests/replica.py's; it is removed (slot
dropped) at the end, failure or not, and so is everything else started here. The cache side
gets a private redis-server (so that its INFO counts are the bench's alone: the hit ratio is
(MGET - SET) / MGET, one MGET per lookup and one SET per stored miss) and a unique
REDIS_KEY_PREFIX; without redis-server installed, REDIS_URL's server (default
127.0.0.1:6379) is used and the hit ratio counts its other clients' commands too.

Popularity. With 1 lakh products read uniformly (bench/wrk/product_detail.lua), few reads of a
run repeat, and a cache of answers barely warms. A store's reads are skewed: here
POPULAR_SHARE (90 %) of product reads go to POPULAR_PRODUCTS (2,000: 2 % of the catalog) and
90 % of list reads to POPULAR_LISTS (1,000) fixed pages of the products_filter mix; the rest
are drawn uniformly as before (bench/wrk/catalog_*.lua). The uniform product mix is measured
too, without a target, to show what the cache costs when nothing repeats.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import redis

from bench.run import (
    APPS,
    BENCH,
    BENCH_DB,
    BUYERS,
    Measure,
    Sample,
    api_login,
    bearer_token,
    combined,
    free_port,
    log,
    reset_carts,
    run_checkout,
    run_wrk,
    start_server,
)
from tests.replica import (
    DIR_PREFIX,
    SCRIPT,
    SLOT_PREFIX,
    Replica,
    ReplicaError,
    remove_orphans,
)

SECTION = "catalog_scale"  # its name for --only
SIDES = ("primary", "replica", "cache")
SLICE_SECONDS = 1
POPULAR_PRODUCTS, POPULAR_STEP, POPULAR_LISTS, POPULAR_SHARE = 2000, 50, 1000, 0.9
# The targets: cached product detail at least 3x the primary-only rate; the catalog's
# p99 with the cache under 50 ms at 256 connections; a price change read fresh within 1 s.
CACHED_SPEEDUP, CACHED_P99_MS, CACHED_P99_CONNECTIONS = 3.0, 50.0, 256
FRESH_SECONDS = 1.0
FRESH_GIVE_UP_SECONDS = 10.0  # a change not seen by then counts as this long, and as missed
LAG_SAMPLE_SECONDS = 0.1
REPLICA_START_TIMEOUT = 1800  # a base backup of a large bench store on a slow disk
PRICE_CUT = 100  # paise: below the price stays at or under mrp (products_price_check)


@dataclass(frozen=True)
class Workload:
    name: str
    label: str
    script: str  # in bench/wrk/
    detail: bool  # GET /products/{id}: judged on the cache's speed-up
    judged: bool = True  # the targets apply


WORKLOADS = (
    Workload("detail", "GET /products/{id}, popular 90 %", "catalog_detail.lua", detail=True),
    Workload("list", "GET /products (filter mix), popular 90 %", "catalog_list.lua", detail=False),
    Workload(
        "detail_uniform",
        "GET /products/{id}, uniform over 1 lakh",
        "product_detail.lua",
        detail=True,
        judged=False,
    ),
)


@dataclass
class CatalogRow:
    workload: Workload
    connections: int
    sides: dict[str, Measure]
    hit_ratio: float | None  # of the cache side's lookups
    replica_requests: int = 0  # the replica side's, warm-up included
    cache_misses: int = 0  # answers the cache side stored (each read from a database first)


@dataclass
class ReplicaSetup:
    backup_seconds: float  # pg_basebackup, as scripts/replica.sh timed it
    start_seconds: float  # from the call to a streaming replica (backup included)
    cluster_bytes: int  # every database of the primary: what the base backup copies
    bench_bytes: int


@dataclass
class Lag:
    checkouts: Measure
    seconds: int
    connections: int
    replay_lag_ms: list[float] = field(default_factory=list)  # pg_stat_replication.replay_lag
    replay_lag_null: int = 0  # samples where it was NULL (nothing to measure lately)
    bytes_behind: list[int] = field(default_factory=list)  # current WAL - replay_lsn
    api_lag_ms: list[float] = field(default_factory=list)  # /readyz replica.lag_seconds
    api_states: Counter = field(default_factory=Counter)  # /readyz replica.state, or "no answer"


@dataclass
class Freshness:
    delays: list[float]  # seconds from the UPDATE's commit to the first read showing it
    stale_reads: int  # reads after the commit that still showed the old price
    failed_reads: int  # reads after the commit answered with an error (503...)
    missed: int  # changes not seen within FRESH_GIVE_UP_SECONDS
    connections: int
    load: Measure | None  # the wrk read load on the cache side meanwhile
    hit_ratio: float | None
    # The slowest change: its reads after the commit, each as (ms after the commit it was
    # sent, ms it took, "stale", "fresh" or its status), to tell a late invalidation (stale
    # answers) from a slow read (one long fresh one).
    worst: list[tuple[float, float, str]] = field(default_factory=list)


@dataclass
class CatalogResults:
    rows: list[CatalogRow]
    setup: ReplicaSetup
    lag: Lag | None
    freshness: list[Freshness]  # one for each of --catalog-connections
    workers: int
    seconds: int
    warmup: int
    redis_note: str
    replica_transactions: int = 0  # on the replica's bench database during the catalog reads
    replica_side_requests: int = 0
    cache_side_misses: int = 0
    catalog_seconds: float = 0.0  # the catalog reads' wall time (the watchers poll meanwhile)
    web_tier: dict[int, Measure] = field(default_factory=dict)  # GET /healthz, by connections
    log_lines: dict[str, Counter] = field(default_factory=dict)  # warnings and errors, by side
    replica_log: Counter = field(default_factory=Counter)  # the replica's own, conflicts too


# -- pure helpers (tests/test_bench.py) ---------------------------------------------------------


def side_turns(seconds: int, slice_seconds: int = SLICE_SECONDS) -> list[str]:
    """Whose slice comes when: primary, replica, cache, then back (cache, replica, primary),
    so each side gets seconds // slice_seconds slices, as often early as late."""
    order: list[str] = []
    for block in range(seconds // slice_seconds):
        order += SIDES if block % 2 == 0 else SIDES[::-1]
    return order


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p of all values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 1))  # ceil(p * n), at least 1
    return ordered[min(len(ordered), int(rank)) - 1]


def hit_ratio(before: dict, after: dict) -> float | None:
    """The share of the cache's lookups that found a current entry, from two INFO
    commandstats: each lookup is one MGET, each miss stored is one SET (app/cache.py). Lookups,
    not wrk's requests: at 256 connections, hundreds of requests a slice are still in flight
    when wrk stops counting, and the server answers them all the same."""
    lookups = calls(after, "mget") - calls(before, "mget")
    stored = calls(after, "set") - calls(before, "set")
    return max(0, lookups - stored) / lookups if lookups > 0 else None


def calls(info: dict, command: str) -> int:
    """A command's calls in INFO commandstats (as redis-py parses it)."""
    return int(info.get(f"cmdstat_{command}", {}).get("calls", 0))


def judge_row(row: CatalogRow) -> tuple[str, str]:
    """The row's targets, and whether they are met ("yes", "no: ..."; "—" without one)."""
    if not row.workload.judged:
        return "—", "—"
    targets, misses = [], []
    cache, primary = row.sides["cache"], row.sides["primary"]
    if row.workload.detail:
        targets.append(f"cache ≥ {CACHED_SPEEDUP:.0f}× primary")
        if cache.rps < CACHED_SPEEDUP * primary.rps:
            misses.append("speed-up")
    if row.connections == CACHED_P99_CONNECTIONS:
        targets.append(f"cache p99 < {CACHED_P99_MS:.0f} ms")
        if cache.p99_ms >= CACHED_P99_MS:
            misses.append("p99")
    if not targets:
        return "—", "—"
    if any(side.errors for side in row.sides.values()):
        misses.append("errors")
    return ", ".join(targets), f"no: {', '.join(misses)}" if misses else "yes"


def popular_product(k: int) -> int:
    """The k-th popular product of bench/wrk/catalog_detail.lua."""
    return 1001 + POPULAR_STEP * (k % POPULAR_PRODUCTS)


# -- processes ----------------------------------------------------------------------------------


@contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """SIGTERM raises SystemExit while measuring, so that the finally blocks stop the servers
    and remove the replica (Ctrl-C does so already)."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def bench_redis(folder: Path) -> Iterator[tuple[str, str]]:
    """A private redis-server on a free port (its URL, and a note for the results); without
    redis-server, REDIS_URL's server."""
    if shutil.which("redis-server") is None:
        url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        yield url, f"the shared Redis at {url} (no redis-server here; its other clients count too)"
        return
    port = free_port()
    process = subprocess.Popen(
        [
            *("redis-server", "--bind", "127.0.0.1", "--port", str(port)),
            *("--save", "", "--appendonly", "no", "--dir", str(folder)),
        ],
        stdout=(folder / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    message = f"bench: redis-server did not start; see {folder}/redis.log"
                    raise SystemExit(message) from None
                time.sleep(0.1)
        client.close()
        yield url, f"a private redis-server {redis_version(url)} on 127.0.0.1:{port}"
    finally:
        stop_process(process)


def redis_version(url: str) -> str:
    client = redis.Redis.from_url(url)
    try:
        return str(client.info("server").get("redis_version", ""))
    finally:
        client.close()


def commandstats(url: str) -> dict:
    client = redis.Redis.from_url(url)
    try:
        return client.info("commandstats")
    finally:
        client.close()


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_bench_replica(url: str, admin_url: str) -> tuple[Replica, ReplicaSetup]:
    """A streaming replica of the bench's primary, made by scripts/replica.sh in a new folder of
    the bench's under /tmp, through a slot named like tests/replica.py's: a later run (or test
    session) removes both if this process dies without removing them. The base backup's
    seconds as the script reports them."""
    with psycopg.connect(url, autocommit=True) as conn:
        cluster_bytes, bench_bytes = conn.execute(
            "SELECT sum(pg_database_size(oid))::bigint, pg_database_size(current_database())"
            " FROM pg_database"
        ).fetchone()
    remove_orphans(admin_url)
    parent = Path(tempfile.mkdtemp(prefix=f"{DIR_PREFIX}{os.getpid()}-bench-", dir="/tmp"))
    parent.chmod(0o755)  # the postgres user runs the replica
    slot = f"{SLOT_PREFIX}{os.getpid()}_{secrets.token_hex(4)}"
    replica = Replica(parent / "data", free_port(), slot, admin_url)
    log(f"replica: base backup of the primary's whole cluster ({cluster_bytes / 1e9:.2f} GB)")
    started = time.monotonic()
    # Not Replica.start(): its 300 s timeout would leave pg_basebackup running on a slow disk.
    script = subprocess.Popen(
        [str(SCRIPT), "start", str(replica.directory), str(replica.port)],
        env={**os.environ, "ADMIN_DATABASE_URL": admin_url, "REPLICA_SLOT": slot},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its process group: pg_basebackup goes with it on failure
    )
    try:
        output = script.communicate(timeout=REPLICA_START_TIMEOUT)[0]
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(script.pid, signal.SIGKILL)
        script.wait()
        remove_replica(replica)
        raise
    start_seconds = time.monotonic() - started
    if script.returncode != 0:
        remove_replica(replica)
        raise SystemExit(f"bench: scripts/replica.sh start failed:\n{output}")
    match = re.search(r"base backup done in ([\d.]+) s", output)
    backup = float(match[1]) if match else start_seconds
    log(f"replica: streaming after {start_seconds:.1f} s (base backup {backup:.1f} s)")
    return replica, ReplicaSetup(backup, start_seconds, int(cluster_bytes), int(bench_bytes))


def remove_replica(replica: Replica) -> None:
    """Stop it, drop its slot on the primary, delete its folder (and the bench's parent)."""
    try:
        replica.remove()
        log(f"replica: removed ({replica.directory}, slot {replica.slot} dropped)")
    except ReplicaError as error:
        log(f"replica: could not be removed: {error}")
    parent = replica.directory.parent
    if parent.name.startswith(DIR_PREFIX) and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()


def stop_server(process: subprocess.Popen) -> None:
    stop_process(process)


def wait_ready(side: str, base: str, seconds: float = 60) -> dict:
    """/readyz until the side is as configured (the replica streaming and usable, the cache
    on); its last answer."""
    wanted_replica = "off" if side == "primary" else "streaming"
    wanted_cache = "on" if side == "cache" else "off"
    return wait_readyz(
        base,
        lambda body: (
            body.get("replica", {}).get("state") == wanted_replica
            and body.get("cache") == wanted_cache
        ),
        f"the {side} side",
        seconds,
    )


def wait_readyz(base: str, ready: Callable[[dict], bool], what: str, seconds: float = 60) -> dict:
    """/readyz until `ready` holds for ten answers in a row, so that every worker is; its last
    answer. Stops the bench when `seconds` pass first."""
    deadline, in_a_row, body = time.monotonic() + seconds, 0, {}
    with httpx.Client(base_url=base, timeout=5) as http:
        while in_a_row < 10:
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: {what} is not ready: /readyz says {body}")
            try:
                body = http.get("/readyz").json()
            except (httpx.HTTPError, ValueError):
                body = {}
            in_a_row = in_a_row + 1 if ready(body) else 0
            time.sleep(0.05 if in_a_row else 0.3)
    return body


@dataclass(frozen=True)
class Server:
    base: str
    process: subprocess.Popen


def wrk_slice(server: Server, script: Path, seconds: int, connections: int) -> Sample:
    """run_wrk, then wait for the server to finish the requests wrk left in flight (up to one
    per connection): uvicorn answers them after wrk has gone, and that work would otherwise be
    done in the next slice's time, often another side's. At 256 connections it is a quarter
    of a second or more."""
    sample = run_wrk(server.base, script, seconds, connections)
    drain(server.process)
    return sample


def drain(process: subprocess.Popen, limit: float = 3.0) -> None:
    """Until the server's processes (uvicorn and its workers) use less than a fifth of a core
    over 50 ms, or `limit` seconds."""
    deadline = time.monotonic() + limit
    previous = cpu_ticks(process.pid)
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = cpu_ticks(process.pid)
        if now - previous <= 1:  # clock ticks: 10 ms each at the usual 100 Hz
            return
        previous = now


def cpu_ticks(pid: int) -> int:
    """User and system CPU of the process and its children so far, in clock ticks (Linux
    /proc; 0 elsewhere, and drain returns at once)."""
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for member in (str(pid), *children):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total


def catalog_script(workload: Workload, folder: Path) -> Path:
    """bench/wrk/common.lua, the popularity's constants, the workload's script; no tokens."""
    script = folder / f"catalog_{workload.name}.lua"
    script.write_text(
        (BENCH / "wrk" / "common.lua").read_text()
        + "\nTOKENS = {}\n"
        + f"POPULAR_PRODUCTS, POPULAR_STEP = {POPULAR_PRODUCTS}, {POPULAR_STEP}\n"
        + f"POPULAR_LISTS, POPULAR_SHARE = {POPULAR_LISTS}, {POPULAR_SHARE}\n\n"
        + (BENCH / "wrk" / workload.script).read_text()
    )
    return script


def replica_transactions(replica: Replica) -> int:
    """Transactions committed on the replica's copy of the bench database so far."""
    with psycopg.connect(replica.url(BENCH_DB), autocommit=True) as conn:
        return conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()[0]


def measure_row(
    workload: Workload,
    script: Path,
    servers: dict[str, Server],
    redis_url: str,
    seconds: int,
    warmup: int,
    connections: int,
) -> CatalogRow:
    """One workload at one number of connections: each side warmed up, then the sides' slices
    in turns; the cache's hit ratio over its slices."""
    first = commandstats(redis_url)
    warm = {}
    for side in SIDES:
        log(f"catalog: {workload.label}, {connections} connections: {side}, warm-up")
        warm[side] = wrk_slice(servers[side], script, warmup, connections)
    samples: dict[str, list[Sample]] = {side: [] for side in SIDES}
    before = commandstats(redis_url)
    for side in side_turns(seconds):
        samples[side].append(wrk_slice(servers[side], script, SLICE_SECONDS, connections))
    after = commandstats(redis_url)
    row = CatalogRow(
        workload,
        connections,
        {side: combined(samples[side]) for side in SIDES},
        hit_ratio(before, after),
        warm["replica"].requests + sum(sample.requests for sample in samples["replica"]),
        calls(after, "set") - calls(first, "set"),
    )
    log(
        f"catalog: {workload.label}, {connections} connections: "
        + ", ".join(f"{s} {m.rps:,.0f} req/s p99 {m.p99_ms:.1f} ms" for s, m in row.sides.items())
        + (f"; cache hits {row.hit_ratio:.0%}" if row.hit_ratio is not None else "")
    )
    return row


class LagSampler(threading.Thread):
    """Every LAG_SAMPLE_SECONDS, from the primary: pg_stat_replication's replay_lag and
    pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) for the replica's slot; and the API's
    /readyz replica.lag_seconds (its own poll, every 0.2 s, of both servers)."""

    QUERY = (
        "SELECT extract(epoch FROM r.replay_lag) * 1000,"
        " pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::bigint"
        " FROM pg_stat_replication AS r"
        " INNER JOIN pg_replication_slots AS s ON s.active_pid = r.pid"
        " WHERE s.slot_name = %s"
    )

    def __init__(self, url: str, slot: str, api_base: str, lag: Lag):
        super().__init__(name="lag-sampler", daemon=True)
        self.url, self.slot, self.api_base, self.lag = url, slot, api_base, lag
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with (
                psycopg.connect(self.url, autocommit=True) as conn,
                httpx.Client(base_url=self.api_base, timeout=1) as http,
            ):
                while not self.stopping.is_set():
                    started = time.monotonic()
                    self.sample(conn, http)
                    self.stopping.wait(max(0.0, LAG_SAMPLE_SECONDS - (time.monotonic() - started)))
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            self.error = error

    def sample(self, conn: psycopg.Connection, http: httpx.Client) -> None:
        found = conn.execute(self.QUERY, (self.slot,)).fetchone()
        if found is not None:
            replay_lag_ms, behind = found
            if replay_lag_ms is None:
                self.lag.replay_lag_null += 1
            else:
                self.lag.replay_lag_ms.append(float(replay_lag_ms))
            if behind is not None:
                self.lag.bytes_behind.append(max(0, int(behind)))
        try:
            replica = http.get("/readyz").json()["replica"]
        except (httpx.HTTPError, ValueError, KeyError):
            self.lag.api_states["no answer"] += 1
            return
        self.lag.api_states[replica["state"]] += 1
        if replica.get("lag_seconds") is not None:
            self.lag.api_lag_ms.append(1000 * replica["lag_seconds"])


def measure_lag(url: str, replica: Replica, api_base: str, seconds: int, connections: int) -> Lag:
    """bench/checkout.py's load on the replica side (checkouts write on the primary), with the
    lag sampled meanwhile."""
    reset_carts(url)
    buyers = [(user_id, bearer_token(user_id)) for user_id in BUYERS]
    lag = Lag(Measure(0, 0, 0), seconds, connections)
    sampler = LagSampler(url, replica.slot, api_base, lag)
    log(f"lag: checkouts for {seconds} s at {connections} connections, lag sampled every 0.1 s")
    sampler.start()
    try:
        lag.checkouts = combined([run_checkout(api_base, buyers, seconds, connections)])
    finally:
        sampler.stopping.set()
        sampler.join(timeout=10)
        reset_carts(url)
    if sampler.error is not None:
        raise sampler.error
    return lag


def measure_freshness(
    url: str,
    base: str,
    script: Path,
    redis_url: str,
    changes: int,
    connections: int,
    warmup: int,
) -> Freshness:
    """`changes` times, under wrk's read load on the cache side: cut a popular product's price on
    the primary, then GET it anonymously, one request after the other, until the new price
    shows. The prices are put back at the end, failure or not."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", "3600s", "-s", str(script), base]
    delays: list[float] = []
    stale = failed = missed = 0
    worst: list[tuple[float, float, str]] = []
    original: dict[int, int] = {}
    before = commandstats(redis_url)
    load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    log(f"freshness: {changes} price changes under wrk's reads ({connections} connections)")
    try:
        with (
            psycopg.connect(url, autocommit=True) as conn,
            httpx.Client(base_url=f"{base}/api/v1", timeout=FRESH_GIVE_UP_SECONDS) as http,
        ):
            time.sleep(warmup)
            for change in range(changes):
                product = popular_product(change * 37)  # 37 and 2,000 coprime: all distinct
                path = f"/products/{product}"
                http.get(path)  # cached, if the load had not read it yet
                old = http.get(path).json()["price"]
                new = old - PRICE_CUT
                conn.execute("UPDATE store.products SET price = %s WHERE id = %s", (new, product))
                committed = time.monotonic()
                original.setdefault(product, old)
                reads = []
                while True:
                    sent = time.monotonic()
                    answer = http.get(path)
                    seen = time.monotonic()
                    if answer.status_code != 200:
                        failed += 1
                        what = str(answer.status_code)
                    elif answer.json()["price"] == new:
                        what = "fresh"
                    else:
                        stale += 1
                        what = "stale"
                    reads.append((1000 * (sent - committed), 1000 * (seen - sent), what))
                    if what == "fresh":
                        delays.append(seen - committed)
                        break
                    if seen - committed > FRESH_GIVE_UP_SECONDS:
                        delays.append(FRESH_GIVE_UP_SECONDS)
                        missed += 1
                        break
                if delays[-1] >= max(delays):
                    worst = reads
                time.sleep(0.2)
    finally:
        load.send_signal(signal.SIGINT)  # wrk stops and runs done(): its counts
        try:
            output = load.communicate(timeout=15)[0]
        except subprocess.TimeoutExpired:
            load.kill()
            output = load.communicate()[0]
        if original:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(
                    "UPDATE store.products AS p SET price = o.price"
                    " FROM unnest(%s::bigint[], %s::bigint[]) AS o (id, price) WHERE p.id = o.id",
                    (list(original), list(original.values())),
                )
    after = commandstats(redis_url)
    measure = None
    if match := re.search(r"^slice (\d+) (\d+) (\d+)$", output or "", re.M):
        requests, microseconds, errors = map(int, match.groups())
        latencies = Counter()
        for value, count in re.findall(r"^latency (\d+) (\d+)$", output, re.M):
            latencies[int(value)] += int(count)
        measure = combined([Sample(requests, microseconds / 1_000_000, errors, latencies)])
    return Freshness(
        delays, stale, failed, missed, connections, measure, hit_ratio(before, after), worst
    )


# The replica's server.log (log_line_prefix '%m [%p] '): its warnings, errors and recovery
# conflicts (log_recovery_conflict_waits is on: "recovery still waiting after ... ms").
REPLICA_LOG_LINE = re.compile(
    r"^\S+ \S+ \S+ \[\d+\] (?:\S+@\S+ )?(WARNING|ERROR|FATAL|LOG):  (.*)$"
)
REPLICA_LOG_WORTH = re.compile(r"conflict|waiting|cancel|terminat", re.I)


def replica_log_summary(path: Path) -> Counter:
    """The replica's log lines that tell of a query waiting on or cancelled by replay, and its
    warnings and errors, counted with their numbers blanked."""
    counts: Counter = Counter()
    if not path.exists():
        return counts
    with path.open(errors="replace") as lines:
        for line in lines:
            match = REPLICA_LOG_LINE.match(line.rstrip())
            if match and (match[1] != "LOG" or REPLICA_LOG_WORTH.search(match[2])):
                counts[f"{match[1]}: {re.sub(r'[0-9]+', '#', match[2])[:160]}"] += 1
    return counts


LOG_LINE = re.compile(r"^\S+ \S+ (WARNING|ERROR|CRITICAL) (\S+) \[[^\]]*\] (.*)$")


def log_summary(path: Path) -> Counter:
    """A server's warnings and errors (app/logs.py's lines), counted by level, logger and
    message with its numbers blanked (ports, positions, durations)."""
    counts: Counter = Counter()
    if not path.exists():
        return counts
    with path.open(errors="replace") as lines:
        for line in lines:
            if match := LOG_LINE.match(line.rstrip()):
                level, logger, message = match.groups()
                counts[f"{level} {logger}: {re.sub(r'[0-9]+', '#', message)[:160]}"] += 1
    return counts


# -- the section --------------------------------------------------------------------------------


def run(url: str, admin_url: str, args: argparse.Namespace, folder: Path) -> CatalogResults:
    """The whole section; every server, the replica and Redis are gone when it returns or
    raises."""
    rows: list[CatalogRow] = []
    with ExitStack() as stack:
        stack.enter_context(sigterm_as_exit())
        redis_url, redis_note = stack.enter_context(bench_redis(folder))
        replica, setup = start_bench_replica(url, admin_url)
        stack.callback(remove_replica, replica)
        replica_log: Counter = Counter()
        # Read before the replica goes (callbacks run last in, first out).
        stack.callback(
            lambda: replica_log.update(replica_log_summary(replica.directory / "server.log"))
        )
        replica_url = replica.same_as(api_login(url))
        prefix = f"jiokidz_bench_{os.getpid()}_{secrets.token_hex(3)}"
        environments = {
            "primary": {"REPLICA_DATABASE_URL": "", "REDIS_URL": ""},
            "replica": {"REPLICA_DATABASE_URL": replica_url, "REDIS_URL": ""},
            "cache": {
                "REPLICA_DATABASE_URL": replica_url,
                "REDIS_URL": redis_url,
                "REDIS_KEY_PREFIX": prefix,
            },
        }
        servers: dict[str, Server] = {}
        for side, env in environments.items():
            process, base = start_server(
                APPS["API"], url, args.workers, folder / f"api-{side}.log", env
            )
            stack.callback(stop_server, process)
            servers[side] = Server(base, process)
        bases = {side: server.base for side, server in servers.items()}
        for side, base in bases.items():
            wait_ready(side, base)
        log("catalog: the three sides are ready (replica streaming, cache on)")
        results = CatalogResults(
            rows, setup, None, [], args.workers, args.seconds, args.warmup, redis_note
        )
        scripts = {w.name: catalog_script(w, folder) for w in WORKLOADS}
        healthz = catalog_script(Workload("healthz", "GET /healthz", "healthz.lua", False), folder)
        transactions_before = replica_transactions(replica)
        catalog_started = time.monotonic()
        for connections in args.catalog_connections:
            for workload in WORKLOADS:
                rows.append(
                    measure_row(
                        workload,
                        scripts[workload.name],
                        servers,
                        redis_url,
                        args.seconds,
                        args.warmup,
                        connections,
                    )
                )
            log(f"catalog: GET /healthz, {connections} connections (the web tier alone)")
            wrk_slice(servers["primary"], healthz, args.warmup, connections)
            results.web_tier[connections] = combined(
                [
                    wrk_slice(servers["primary"], healthz, SLICE_SECONDS, connections)
                    for _ in range(args.seconds // SLICE_SECONDS)
                ]
            )
        time.sleep(2)  # the replica's backends report their counts within a second or so idle
        results.replica_transactions = replica_transactions(replica) - transactions_before
        results.replica_side_requests = sum(row.replica_requests for row in rows)
        results.cache_side_misses = sum(row.cache_misses for row in rows)
        results.catalog_seconds = time.monotonic() - catalog_started
        wait_ready("replica", bases["replica"])
        results.lag = measure_lag(
            url, replica, bases["replica"], 2 * args.seconds, args.connections
        )
        for connections in args.catalog_connections:
            results.freshness.append(
                measure_freshness(
                    url,
                    bases["cache"],
                    scripts["detail"],
                    redis_url,
                    args.price_changes,
                    connections,
                    args.warmup,
                )
            )
        results.log_lines = {side: log_summary(folder / f"api-{side}.log") for side in SIDES}
        results.replica_log = replica_log
    return results


# -- the results ---------------------------------------------------------------------------------


def ms_triple(measures: dict[str, Measure], attribute: str) -> str:
    return " / ".join(f"{getattr(measures[side], attribute):.1f}" for side in SIDES)


def summary(values: list[float], unit: str, scale: float = 1.0, digits: int = 1) -> str:
    if not values:
        return "| — | — | — |"
    return " | ".join(
        f"{percentile(values, p) * scale:,.{digits}f} {unit}" for p in (0.50, 0.99, 1.0)
    ).join(("| ", " |"))


def report(results: CatalogResults) -> list[str]:
    """The section's lines of bench/results.md."""
    setup, judged = results.setup, [(row, judge_row(row)) for row in results.rows]
    targets = [met for _, (_, met) in judged if met != "—"]
    lines = [
        "",
        "## Catalog at scale: primary, replica, cache (issue 18)",
        "",
        f"Anonymous catalog reads, served three ways by `uvicorn --workers {results.workers}` "
        "each: primary (no REPLICA_DATABASE_URL, no REDIS_URL), replica (REPLICA_DATABASE_URL "
        f"to a streaming replica on this machine), cache (REDIS_URL, {results.redis_note}, and "
        f"the replica). {results.seconds} s a side after {results.warmup} s of warm-up each, in "
        f"turns of {SLICE_SECONDS} s: {', '.join(SIDES)}, {', '.join(SIDES[::-1])}... "
        f"Popularity: {POPULAR_SHARE:.0%} of product reads on {POPULAR_PRODUCTS:,} products "
        f"(every {POPULAR_STEP}th), {POPULAR_SHARE:.0%} of list reads on {POPULAR_LISTS:,} fixed "
        "pages of the products_filter mix, the rest uniform (bench/wrk/catalog_*.lua); the "
        "uniform row is bench/wrk/product_detail.lua's mix. Cache hits: lookups that found a "
        "current entry, (Redis MGET − SET) / MGET. After each slice the bench waits until the "
        "server just measured has finished the requests wrk left in flight. The replica, Redis, "
        "the servers and wrk all share the "
        f"machine's {os.cpu_count()} cores with the primary.",
        "",
        f"Replica: a base backup of the primary's whole cluster ({setup.cluster_bytes / 1e9:.2f} "
        f"GB, of which {BENCH_DB} {setup.bench_bytes / 1e9:.2f} GB) took "
        f"{setup.backup_seconds:.1f} s; streaming {setup.start_seconds:.1f} s after the start "
        "(scripts/replica.sh start). Removed, slot dropped, at the end.",
        "",
        "| endpoint | connections | req/s primary / replica / cache | cache / primary "
        "| p50 ms P / R / C | p99 ms P / R / C | cache hits | errors P / R / C | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row, (target, met) in judged:
        sides = row.sides
        hits = "—" if row.hit_ratio is None else f"{row.hit_ratio:.0%}"
        lines.append(
            f"| {row.workload.label} | {row.connections} "
            f"| {' / '.join(f'{sides[s].rps:,.0f}' for s in SIDES)} "
            f"| {sides['cache'].rps / sides['primary'].rps:.2f} "
            f"| {ms_triple(sides, 'p50_ms')} | {ms_triple(sides, 'p99_ms')} | {hits} "
            f"| {' / '.join(str(sides[s].errors) for s in SIDES)} | {target} | {met} |"
        )
    if results.web_tier:
        lines += [
            "",
            "The web tier alone, for reference (GET /healthz on the primary side's server: no "
            "database, no Redis, the same middleware): "
            + ", ".join(
                f"{m.rps:,.0f} req/s (p99 {m.p99_ms:.1f} ms) at {c} connections"
                for c, m in results.web_tier.items()
            )
            + ". A cached answer costs that and a Redis round trip, so it cannot be faster.",
        ]
    polls = round(results.catalog_seconds * 2 * results.workers / 0.2)
    expected = results.replica_side_requests + results.cache_side_misses + polls
    lines += [
        "",
        f"Catalog targets met: {targets.count('yes')} of {len(targets)}. Reads on the replica: "
        f"its copy of {BENCH_DB} committed {results.replica_transactions:,} transactions "
        f"during the catalog reads; routed to it were {results.replica_side_requests:,} "
        f"requests of the replica side, {results.cache_side_misses:,} misses of the cache side "
        f"and about {polls:,} polls of the two sides' replica watchers, {expected:,} in all "
        "(wrk leaves uncounted the requests still in flight when a slice ends).",
    ]
    if results.lag is not None:
        lag = results.lag
        samples = len(lag.bytes_behind)
        states = ", ".join(f"{state} {count}" for state, count in lag.api_states.most_common())
        lines += [
            "",
            "### Replica lag during the checkout load",
            "",
            f"bench/checkout.py against the replica side, {lag.connections} connections for "
            f"{lag.seconds} s: {lag.checkouts.rps:,.0f} checkouts/s (p99 "
            f"{lag.checkouts.p99_ms:,.0f} ms), {lag.checkouts.errors} failed. Sampled every "
            f"{LAG_SAMPLE_SECONDS * 1000:.0f} ms from the primary ({samples} samples; replay_lag "
            f"NULL in {lag.replay_lag_null}) and from the API's /readyz (states: {states}).",
            "",
            "| lag | p50 | p99 | max |",
            "| --- | ---: | ---: | ---: |",
            f"| pg_stat_replication.replay_lag {summary(lag.replay_lag_ms, 'ms')}",
            "| WAL not replayed, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) "
            + summary([float(b) for b in lag.bytes_behind], "kB", 1 / 1024, 0),
            f"| the API's /readyz replica.lag_seconds {summary(lag.api_lag_ms, 'ms')}",
        ]
    if results.freshness:
        lines += [
            "",
            "### Price change to first fresh read",
            "",
            f"{len(results.freshness[0].delays)} times at each load, while wrk read popular-skewed "
            "product details from the cache side: a popular product's price cut by "
            f"{PRICE_CUT} paise on the primary (autocommit UPDATE), then GET /products/{{id}} "
            "anonymously, one request after the other, until the new price shows; the time "
            "from the UPDATE's return to that answer. Prices put back after.",
            "",
            "| read load | p50 | p99 | max | stale reads after commit | failed reads | target "
            "| met |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for fresh in results.freshness:
            over = sum(delay > FRESH_SECONDS for delay in fresh.delays)
            met = "yes" if fresh.delays and not over else f"no: {over} of {len(fresh.delays)}"
            if fresh.missed:
                met += f", {fresh.missed} not seen in {FRESH_GIVE_UP_SECONDS:.0f} s"
            load = fresh.load
            load_text = (
                f"{load.rps:,.0f} req/s, p99 {load.p99_ms:.0f} ms, {load.errors} errors"
                if load
                else "counts missing"
            )
            hits = "—" if fresh.hit_ratio is None else f"{fresh.hit_ratio:.0%}"
            lines.append(
                f"| {fresh.connections} connections ({load_text}; cache hits {hits}) "
                f"{summary(fresh.delays, 'ms', 1000)} {fresh.stale_reads} "
                f"| {fresh.failed_reads} | ≤ {FRESH_SECONDS * 1000:.0f} ms | {met} |"
            )
        lines += [
            "",
            "The slowest change at each load, its reads after the commit (sent at ms after the "
            "commit + ms taken, and what it showed): "
            + "; ".join(
                f"{fresh.connections} connections: "
                + ", ".join(f"{at:,.0f} + {took:,.0f} {what}" for at, took, what in fresh.worst)
                for fresh in results.freshness
            )
            + ".",
        ]
    lines += [
        "",
        "Warnings and errors in the three servers' logs during the section (count × level, "
        "logger: message, numbers as #): "
        + (
            "; ".join(
                f"{side}: " + ", ".join(f"{n} × {m}" for m, n in counts.most_common(4))
                for side, counts in results.log_lines.items()
                if counts
            )
            or "none"
        )
        + ".",
        "",
        "The replica's log (queries waiting on or cancelled by replay, warnings, errors): "
        + (
            ", ".join(f"{n} × {m}" for m, n in results.replica_log.most_common(6))
            or "nothing of the kind"
        )
        + ".",
    ]
    return lines
