"""`make bench`: the store at 1 lakh users, each hot endpoint measured against its own ceiling.

For every scenario, side by side in one run (numbers on a shared 2-core machine drift, so the
ratios are what to compare from run to run):
  1. ceiling: pgbench -M prepared calling the same procedure with the same argument mix;
  2. floor:   bench/floor.py, a minimal hand-written ASGI app calling the same procedure;
  3. API:     the generated API as `make run` serves it (uvicorn --workers, access log on).
Floor and API are served alike (`uvicorn --workers N`, one worker per core, the same pool) and
driven over loopback by wrk (the checkout by bench/checkout.py). Each row is judged against its
target (Scenario): API/floor at least 0.85 where the database sets the pace, 0.70 on the
cheapest reads, and the catalog's p99 under 50 ms at 32 connections. Results go to
bench/results.md and the terminal.

Then bench/catalog.py (`--only catalog_scale` alone): the catalog at 32 and 256 connections
from the primary only, from a real streaming replica and from the Redis cache, the replica's
lag during the checkout load, and the time from a price change to its first fresh read.
Then bench/events.py (`--only events` alone): what the outbox costs the checkout, the relay's
and a consumer's rate, and the publishing delay during checkouts. Then bench/catalog_writes.py
(a bulk price change of 10,000 products during checkouts), bench/write_path.py (the checkout
against its database floor, and where its statement time goes) and bench/flash_sale.py (256
buyers racing for 100 units); each runs alone with `--only <its SECTION>`. The whole run has a
worker (app/worker.py) beside it, publishing the events the checkouts write.

The benchmark database (DATABASE_URL's server, database BENCH_DATABASE, default jiokidz_bench)
is built once with bench/data.sql and reused; --rebuild builds it again. Before measuring, the
EXPLAIN check (bench/test_plans.py) must pass: no hot query may read a large table whole.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.auth import issue_token  # noqa: E402
from app.settings import DEV_SECRETS, Settings  # noqa: E402
from bench import checkout  # noqa: E402
from db.migrate import logged_in_as, migrate_as_admin  # noqa: E402

BENCH = ROOT / "bench"
BENCH_DB = os.environ.get("BENCH_DATABASE", "jiokidz_bench")
TOKEN_USERS = 5000  # bench users 1..5000 carry tokens (their carts are the ones exercised)
# The checkout buys as other users (ceiling, floor and API alike), so that the orders it adds,
# some 10,000 a run, do not lengthen the order lists GET /orders reads from run to run.
BUYERS = range(TOKEN_USERS + 1, 2 * TOKEN_USERS + 1)
# The two apps measured against each other, as uvicorn imports them.
APPS = {"API": "app.main:app", "floor": "bench.floor:app"}
SCALE_USERS = 100_000
# The servers' settings, which the bench shares (tokens, payment signatures; the pgbench
# checkout signs with dev_key_secret): development's, whatever the shell exports, with a JWT
# key of the length HS256 wants and the mock gateway.
SERVER_ENV = {
    **DEV_SECRETS,
    "JIOKIDZ_ENV": "development",
    "JWT_SECRET": "bench-jwt-secret-32-bytes-or-more",
    "PAYMENT_GATEWAY": "mock",
}
SERVER_SETTINGS = Settings.from_env(SERVER_ENV)


# The targets: API/floor where the database sets the pace, and on the cheapest reads (where
# the framework's fixed cost per request is a larger share); the catalog's p99, at 32 connections.
DATABASE_BOUND, CHEAPEST = 0.85, 0.70
CATALOG_P99_MS, P99_CONNECTIONS = 50.0, 32


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    min_ratio: float  # API / floor, requests per second
    catalog: bool = False  # judged on its p99 too
    mutates_carts: bool = False


SCENARIOS = [
    Scenario("products_filter", "GET /products (category, age, price, sort)", DATABASE_BOUND, True),
    Scenario("products_search", "GET /products?q=", DATABASE_BOUND, True),
    Scenario("product_detail", "GET /products/{id}", CHEAPEST, True),
    Scenario("cart_get", "GET /cart", CHEAPEST),
    Scenario("cart_add", "POST /cart/items", DATABASE_BOUND, mutates_carts=True),
    Scenario("orders_list", "GET /orders", CHEAPEST),
    # One checkout = add to cart, POST /orders, POST /payments/initiate, POST /payments/verify.
    Scenario(
        "checkout", "checkout (cart, order, initiate, verify)", DATABASE_BOUND, mutates_carts=True
    ),
]


@dataclass
class Measure:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0
    split: str = ""  # wrk's connections per worker in each slice, e.g. "16:16 ×10"


@dataclass
class Sample:
    """One slice of a measurement of the floor or the API."""

    requests: int
    seconds: float
    errors: int
    latencies: Counter  # microseconds -> requests that took them
    split: str = ""  # wrk's connections per worker, halfway through, e.g. "16:16"


# Floor and API take turns, in slices in this order (floor, API, API, floor, floor, API...):
# the machine flips between two speeds (a fixed loop of Python takes 8 ms or 14 ms, in runs of
# 0.1 to 6 s, on an idle machine), so turns of a second let both meet the same mix of fast and
# slow seconds. The API/floor ratio of GET /products/{id} over
# five runs of 10 s each: 0.84-1.03 in halves of 5 s, 0.88-0.95 in slices of 1 s.
TURN_ORDER = ("floor", "API", "API", "floor")
WRK_SLICE_SECONDS = 1


def turns(seconds: int, slice_seconds: int) -> list[str]:
    """Whose slice comes when: each side gets seconds // slice_seconds slices."""
    return [TURN_ORDER[i % len(TURN_ORDER)] for i in range(2 * (seconds // slice_seconds))]


def combined(samples: list[Sample]) -> Measure:
    """The slices of one side as one measurement: requests per second over all of them, the
    percentiles of all their latencies together."""
    requests = sum(sample.requests for sample in samples)
    seconds = sum(sample.seconds for sample in samples)
    latencies = sum((sample.latencies for sample in samples), Counter())
    ordered = sorted(latencies.items())
    recorded = sum(latencies.values())

    def percentile(p: float) -> float:
        rank, seen = p * recorded, 0
        for microseconds, count in ordered:
            seen += count
            if seen >= rank:
                return microseconds / 1000
        return 0.0

    splits = Counter(sample.split for sample in samples if sample.split)
    return Measure(
        requests / seconds if seconds else 0.0,
        percentile(0.50),
        percentile(0.99),
        sum(sample.errors for sample in samples),
        ", ".join(f"{split} ×{count}" for split, count in splits.most_common()),
    )


def judge(scenario: Scenario, floor: Measure, api: Measure, connections: int) -> tuple[str, str]:
    """The row's target, and whether the API meets it ("yes", or "no:" and what misses)."""
    target, misses = f"≥ {scenario.min_ratio:.2f}", []
    if api.rps < scenario.min_ratio * floor.rps:
        misses.append("ratio")
    if scenario.catalog and connections == P99_CONNECTIONS:
        target += f", p99 < {CATALOG_P99_MS:.0f} ms"
        if api.p99_ms >= CATALOG_P99_MS:
            misses.append("p99")
    if api.errors:
        misses.append("errors")
    return target, f"no: {', '.join(misses)}" if misses else "yes"


def bench_url() -> str:
    """The benchmark database as the admin (ADMIN_DATABASE_URL's login): pgbench and the
    arranging run as it; the servers log in as the web tier (api_login)."""
    return make_conninfo(Settings.from_env().admin_database_url, dbname=BENCH_DB)


def api_login(url: str) -> str:
    return logged_in_as(url, Settings.from_env().database_url)


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def ensure_tools() -> None:
    """wrk from apt when missing; pgbench comes with PostgreSQL."""
    if shutil.which("wrk") is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            sys.exit("bench: needs wrk (Debian: apt-get install wrk)")
        log("installing wrk")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    if shutil.which("pgbench") is None:
        sys.exit("bench: pgbench is needed (Debian: apt-get install postgresql-client-15)")


def build_database(url: str, rebuild: bool) -> float:
    """Build (or reuse) the benchmark database; returns the seconds the build took (0: reused)."""
    if rebuild:
        admin = make_conninfo(url, dbname="postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    # schema, procedures (always current), demo catalog
    migrate_as_admin(url, Settings.from_env().owner_database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        users = conn.execute("SELECT count(*) FROM store.users").fetchone()[0]
        if users >= SCALE_USERS:
            # An earlier run's checkouts updated products (sales_count), inventory and carts;
            # until they are vacuumed, index-only scans visit the heap (the filter's ceiling
            # fell from 2,138 to 1,363 calls/s), and autovacuum may be off on the server.
            log(f"reusing {BENCH_DB} ({users} users); VACUUM ANALYZE first")
            conn.execute("VACUUM ANALYZE")
            checkpoint(conn)
            return 0.0
        log(f"building {BENCH_DB}: 1 lakh users and products, 10 lakh orders")
        started = time.monotonic()
        with conn.transaction():
            conn.execute((BENCH / "data.sql").read_text())
        conn.execute("VACUUM ANALYZE")
        seconds = time.monotonic() - started
        log(f"built in {seconds:.0f} s")
        checkpoint(conn)
        return seconds


def checkpoint(conn: psycopg.Connection) -> None:
    """Write the store's changed pages before measuring, not while: the build's VACUUM leaves
    some 12,000 dirty buffers (73 % of shared_buffers here), which a spread checkpoint would
    write during the first measurements. The two runs straight after a build without this read
    GET /products/{id} at 0.86 and 0.90 of the floor, the one with it 0.94 (other runs
    0.92-0.94). CHECKPOINT needs a superuser or pg_checkpoint; without it, the run goes on."""
    started = time.monotonic()
    try:
        conn.execute("CHECKPOINT")
    except psycopg.errors.InsufficientPrivilege:
        log("no CHECKPOINT (needs pg_checkpoint): writes may overlap the first measurements")
        return
    log(f"checkpoint: {time.monotonic() - started:.1f} s")


def check_plans() -> None:
    """bench/test_plans.py on the benchmark database; the bench stops when it fails."""
    log("EXPLAIN check of the hot queries (bench/test_plans.py)")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if subprocess.run([*command, BENCH / "test_plans.py"], cwd=ROOT).returncode:
        sys.exit("bench: the EXPLAIN check failed (above): a hot query reads a large table whole")


def reset_carts(url: str) -> None:
    """Empty the token users' and the buyers' carts and restock the bench products, so every
    measurement of a scenario that buys starts from the same state."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM store.cart_items WHERE user_id <= %s", (BUYERS[-1],))
        conn.execute(
            "UPDATE store.inventory SET on_hand = 100 WHERE product_id > 1000 AND on_hand < 100"
        )


def open_sessions(url: str) -> None:
    """A live session for each user that carries a token (1..TOKEN_USERS and the buyers), with
    the user's id as its id: the tokens name it, and so do pgbench's scripts
    (`api.authenticate(:user, :user)`), which pay for the same check as the API's calls."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO store.sessions (user_id, id) OVERRIDING SYSTEM VALUE"
            " SELECT g, g FROM generate_series(1, %s) AS g"
            " ON CONFLICT (user_id, id) DO UPDATE SET ended_at = NULL, end_reason = NULL",
            (BUYERS.stop - 1,),
        )
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('store.sessions', 'id'),"
            " (SELECT max(id) FROM store.sessions))"
        )


def bearer_token(user_id: int) -> str:
    """An access token of the user's bench session (open_sessions); valid for the settings'
    access-token TTL (at most 15 minutes), so each scenario gets fresh ones."""
    return issue_token(SERVER_SETTINGS, user_id, user_id)


def token_users_tokens() -> list[str]:
    """Bearer tokens of users 1..TOKEN_USERS, in order: what wrk's scripts send."""
    return [bearer_token(user_id) for user_id in range(1, TOKEN_USERS + 1)]


def check_invariants(url: str) -> list:
    """internal.check_invariants() after the load: money and stock must still add up."""
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT internal.check_invariants()").fetchone()[0]


def run_checkout(
    base: str, buyers: list[tuple[int, str]], seconds: int, connections: int
) -> Sample:
    key_secret = SERVER_SETTINGS.razorpay_key_secret
    done, failed, latencies = asyncio.run(
        checkout.load(base, buyers, seconds, connections, key_secret)
    )
    return Sample(done, seconds, failed, Counter(round(s * 1_000_000) for s in latencies))


def measure_web(
    scenario: Scenario,
    script: Path | None,
    url: str,
    buyers: list[tuple[int, str]],
    base: str,
    seconds: int,
    connections: int,
) -> Sample:
    """One slice of the floor or the API at `base`: wrk, or the checkout's generator (as
    `buyers`, user ids with their tokens)."""
    if scenario.mutates_carts:
        reset_carts(url)  # an earlier run's carts would change this one's work
    if scenario.name == "checkout":
        return run_checkout(base, buyers, seconds, connections)
    return run_wrk(base, script, seconds, connections)


def slice_seconds(scenario: Scenario, seconds: int) -> int:
    """The checkout's turns are halves: a turn's buyers finish the checkouts they started
    before its end (about 0.1 s each, counted in the turn), a larger share of a turn of 1 s
    than of 5 s."""
    return checkout_slice_seconds(seconds) if scenario.name == "checkout" else WRK_SLICE_SECONDS


def checkout_slice_seconds(seconds: int) -> int:
    return max(1, seconds // 2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    app: str, url: str, workers: int, log_file: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """`app` served by uvicorn's own workers, its output (the API's access log) to `log_file`;
    `env` on top of the bench's settings (an empty value unsets a setting)."""
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)),
            *("--workers", str(workers), "--no-access-log", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, "DATABASE_URL": api_login(url), **(env or {})},
        stdout=log_file.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    if wait_until_serving(base, process, seconds=30):
        return process, base
    process.kill()
    sys.exit(f"bench: {app} did not start; see {log_file}")


def wait_until_serving(base: str, process: subprocess.Popen, seconds: float) -> bool:
    """Whether the server at `base` answers (the API and the floor alike) before `seconds`
    pass; False at once if its process exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(f"{base}/api/v1/products/1001", timeout=5)
            return True
        except httpx.TransportError:
            time.sleep(0.2)
    return False


def wrk_script(scenario: Scenario, tokens: list[str], folder: Path) -> Path:
    lua_tokens = ", ".join(f'"{t}"' for t in tokens)
    script = folder / f"{scenario.name}.lua"
    script.write_text(
        (BENCH / "wrk" / "common.lua").read_text()
        + f"\nTOKENS = {{ {lua_tokens} }}\n\n"
        + (BENCH / "wrk" / f"{scenario.name}.lua").read_text()
    )
    return script


def run_wrk(base: str, script: Path, seconds: int, connections: int) -> Sample:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "-s", str(script)]
    with subprocess.Popen([*command, base], stdout=subprocess.PIPE, text=True) as wrk:
        time.sleep(seconds / 2)
        split = connection_split(int(base.rsplit(":", 1)[1]))
        output = wrk.communicate()[0]
    if wrk.returncode != 0:
        raise subprocess.CalledProcessError(wrk.returncode, command, output)
    # Written by done() in bench/wrk/common.lua.
    requests, microseconds, errors = map(
        int, re.search(r"^slice (\d+) (\d+) (\d+)$", output, re.M).groups()
    )
    latencies = Counter()
    for value, count in re.findall(r"^latency (\d+) (\d+)$", output, re.M):
        latencies[int(value)] += int(count)
    return Sample(requests, microseconds / 1_000_000, errors, latencies, split)


def connection_split(port: int) -> str:
    """How many of the open connections to `port` each worker holds, busiest first ("16:16").
    uvicorn's workers accept from one shared socket, so wrk's connections of a slice may fall
    unevenly ("20:12"); the busier worker then sets the pace of a Python-bound endpoint. Both
    sides draw their splits alike, slice after slice; this shows what they drew."""
    if shutil.which("ss") is None:
        return ""
    listing = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
    ).stdout
    per_worker: dict[str, int] = {}
    for pid in re.findall(r"pid=(\d+)", listing):
        per_worker[pid] = per_worker.get(pid, 0) + 1
    return ":".join(str(n) for n in sorted(per_worker.values(), reverse=True))


def pgbench_env(url: str) -> dict[str, str]:
    """The environment that points pgbench at the benchmark database as `url`'s login."""
    params = conninfo_to_dict(url)
    env = {
        **os.environ,
        "PGHOST": str(params.get("host", "")),
        "PGPORT": str(params.get("port", "5432")),
        "PGUSER": str(params.get("user", "")),
        "PGDATABASE": BENCH_DB,
    }
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return env


def buyer_defines(connections: int) -> list[str]:
    """The -D variables the buying scripts (checkout, cart_add) pick their buyers with."""
    return [
        *("-D", f"clients={connections}"),
        *("-D", f"first_buyer={BUYERS[0]}"),
        *("-D", f"buyer_count={len(BUYERS)}"),
    ]


def run_pgbench(
    url: str, scenario: Scenario, seconds: int, connections: int, script: str | None = None
) -> Measure:
    """pgbench -M prepared of bench/pgbench/<script or the scenario's name>.sql."""
    env = pgbench_env(url)
    with tempfile.TemporaryDirectory() as logs:
        command = [
            "pgbench",
            *buyer_defines(connections),
            "-n",
            "-M",
            "prepared",
            "-c",
            str(connections),
            "-j",
            "2",
            "-T",
            str(seconds),
            "-f",
            str(BENCH / "pgbench" / f"{script or scenario.name}.sql"),
            "-l",
            "--log-prefix",
            f"{logs}/tx",
        ]
        output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
        latencies = sorted(
            int(line.split()[2])
            for path in Path(logs).glob("tx*")
            for line in path.read_text().splitlines()
        )
    rps = float(re.search(r"tps = ([\d.]+)", output).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", output)

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] / 1000

    return Measure(rps, percentile(0.50), percentile(0.99), int(failed.group(1)) if failed else 0)


def command_line() -> str:
    extra = " ".join(sys.argv[1:])
    return f'make bench BENCH_ARGS="{extra}"' if extra else "make bench"


def write_results(
    rows, args, build_seconds: float, load_before, load_after, violations, catalog_lines=()
) -> str:
    """bench/results.md: the run, the scenarios' table (when any ran), bench/catalog.py's
    section (when it ran), the invariants."""
    lines = [
        "# make bench: results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"`{command_line()}`. "
        f"Database {BENCH_DB}: 1,00,000 users, 1,00,000 products, 10,00,000 orders"
        + (f" (built in {build_seconds:.0f} s)." if build_seconds else " (reused)."),
        f"Load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
        f"after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}.",
    ]
    if rows:
        lines += scenario_lines(rows, args)
    lines += catalog_lines
    lines += [
        "",
        "Invariants after the load (internal.check_invariants()): "
        + ("none violated." if not violations else f"VIOLATED: {violations}"),
    ]
    text = "\n".join(lines) + "\n"
    (BENCH / "results.md").write_text(text)
    return text


def scenario_lines(rows, args) -> list[str]:
    judged = [(row, judge(row[0], row[2], row[3], args.connections)) for row in rows]
    lines = [
        "",
        f"{args.connections} connections, {args.seconds} s per measurement after {args.warmup} s "
        f"of warm-up; the floor and the API take turns in slices of {WRK_SLICE_SECONDS} s "
        f"(the checkout's: {checkout_slice_seconds(args.seconds)} s) in the order "
        f"{', '.join(TURN_ORDER)}, {', '.join(TURN_ORDER[:2])}...; p50 and p99 over all of a "
        f"side's slices. Floor and API each served by `uvicorn --workers {args.workers}`, pool "
        f"{Settings.from_env().db_pool_size} per worker; the API writes its access log.",
        "",
        "| endpoint | ceiling req/s (pgbench) | floor req/s | API req/s | API / floor | target "
        "| met | p99 ms floor / API | API errors |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |",
    ]
    for (scenario, ceiling, floor, api), (target, met) in judged:
        lines.append(
            f"| {scenario.label} | {ceiling.rps:,.0f} | {floor.rps:,.0f} | {api.rps:,.0f} "
            f"| {api.rps / floor.rps:.2f} | {target} | {met} "
            f"| {floor.p99_ms:.1f} / {api.p99_ms:.1f} | {api.errors} |"
        )
    lines += [
        "",
        f"Targets met: {sum(met == 'yes' for _, (_, met) in judged)} of {len(judged)}. "
        "Ceiling: the procedure alone (pgbench -M prepared, same argument mix; p50 / p99 ms: "
        + "; ".join(f"{s.name} {c.p50_ms:.1f} / {c.p99_ms:.1f}" for s, c, _, _ in rows)
        + "). Floor: bench/floor.py. API: app.main:app as `make run` serves it. "
        "Checkout rows count whole checkouts (4 requests, 5 procedure calls) per second. "
        "p50 ms floor / API: "
        + "; ".join(f"{s.name} {f.p50_ms:.1f} / {a.p50_ms:.1f}" for s, _, f, a in rows)
        + ".",
        "",
        "wrk's connections per worker, halfway through each slice (floor; API): "
        + "; ".join(f"{s.name} {f.split}; {a.split}" for s, _, f, a in rows if f.split)
        + ".",
    ]
    return lines


def main() -> int:
    # The sections after the scenarios, in the order they run. They import this module: here,
    # not at the top.
    from bench import catalog, catalog_writes, events, flash_sale, write_path

    sections = [catalog, events, catalog_writes, write_path, flash_sale]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per measurement (default 10)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--only",
        nargs="*",
        help="scenario names, and/or the sections: "
        + ", ".join(f"{m.SECTION} (bench/{m.__name__.rsplit('.', 1)[1]}.py)" for m in sections),
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the benchmark database")
    parser.add_argument(
        "--catalog-connections",
        type=int,
        nargs="+",
        default=[32, 256],
        help=f"{catalog.SECTION}: the connections of its catalog reads (default 32 256)",
    )
    parser.add_argument(
        "--price-changes",
        type=int,
        default=50,
        help=f"{catalog.SECTION}: price changes timed to their first fresh read (default 50)",
    )
    args = parser.parse_args()

    ensure_tools()
    url = bench_url()
    build_seconds = build_database(url, args.rebuild)
    check_plans()
    open_sessions(url)
    scenarios = [s for s in SCENARIOS if not args.only or s.name in args.only]
    chosen = [m for m in sections if not args.only or m.SECTION in args.only]

    load_before = os.getloadavg()
    rows = []
    results = {}
    # Checkouts write events: a worker publishes them throughout, as in production.
    with tempfile.TemporaryDirectory() as work, events.running_worker(url, Path(work)) as worker:
        folder = Path(work)
        if scenarios:
            rows = measure_scenarios(scenarios, url, args)
        for section in chosen:
            if section is catalog:
                admin = Settings.from_env().admin_database_url
                results[section] = catalog.run(url, admin, args, folder)
            elif section in (events, write_path):
                results[section] = section.run(url, args, folder, worker)
            else:
                results[section] = section.run(url, args, folder)
        if any(s.mutates_carts for s in scenarios) or chosen:
            reset_carts(url)
        violations = check_invariants(url)
    load_after = os.getloadavg()
    extra_lines = [line for section, result in results.items() for line in section.report(result)]
    print(
        write_results(rows, args, build_seconds, load_before, load_after, violations, extra_lines)
    )
    return 1 if violations else 0


def measure_scenarios(scenarios: list[Scenario], url: str, args) -> list:
    """Each scenario's ceiling, floor and API (the rows of the first table)."""
    rows = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        api, api_base = start_server(APPS["API"], url, args.workers, folder / "api.log")
        floor, floor_base = start_server(APPS["floor"], url, args.workers, folder / "floor.log")
        try:
            for scenario in scenarios:
                tokens = token_users_tokens()
                buyers = [(user_id, bearer_token(user_id)) for user_id in BUYERS]
                # The checkout has its own load generator (bench/checkout.py), not wrk.
                script = (
                    None if scenario.name == "checkout" else wrk_script(scenario, tokens, folder)
                )
                log(f"{scenario.label}: ceiling")
                if scenario.mutates_carts:
                    reset_carts(url)  # an earlier scenario's carts would change this one's work
                run_pgbench(url, scenario, args.warmup, args.connections)
                if scenario.mutates_carts:
                    reset_carts(url)
                ceiling = run_pgbench(url, scenario, args.seconds, args.connections)
                web = functools.partial(
                    measure_web, scenario, script, url, buyers, connections=args.connections
                )
                bases = {"floor": floor_base, "API": api_base}
                for name, base in bases.items():
                    log(f"{scenario.label}: {name}, warm-up")
                    web(base, args.warmup)
                samples: dict[str, list[Sample]] = {"floor": [], "API": []}
                length = slice_seconds(scenario, args.seconds)
                for name in turns(args.seconds, length):
                    samples[name].append(web(bases[name], length))
                log(f"{scenario.label}: floor and API, {len(samples['API'])} slices each")
                rows.append(
                    (scenario, ceiling, combined(samples["floor"]), combined(samples["API"]))
                )
        finally:
            for process in (api, floor):
                process.terminate()
                process.wait(timeout=15)
    return rows


if __name__ == "__main__":
    sys.exit(main())
