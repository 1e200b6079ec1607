"""Fixtures shared by the pytest suites: a fresh database built by db/migrate.py (demo data
included) and a real uvicorn server on it, reached over real HTTP. Both are made for the run
and removed after it; nothing depends on what the machine already holds."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import redis
from psycopg import sql
from psycopg.conninfo import make_conninfo

from app.settings import Settings
from db.migrate import MigrationReport, logged_in_as, migrate_as_admin
from tests import reliability
from tests.replica import Replica, start_replica
from tests.worker import Worker, delete_topology, new_prefix, worker_env

ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1"
# The largest id the API takes: what a JSON number carries exactly (codegen/spec.py).
LARGEST_ID = 2**53 - 1


def database_url(name: str) -> str:
    """The admin's login (ADMIN_DATABASE_URL, or the development default) to database `name`:
    tests arrange and check rows through it."""
    return make_conninfo(Settings.from_env().admin_database_url, dbname=name)


def api_url(url: str) -> str:
    """The database at `url` as the web tier logs in to it (DATABASE_URL's user)."""
    return logged_in_as(url, Settings.from_env().database_url)


def migrate_database(url: str, **kwargs) -> MigrationReport:
    """`make db` for the database at `url` (an admin's URL), as db.migrate.migrate_as_admin."""
    return migrate_as_admin(url, Settings.from_env().owner_database_url, **kwargs)


def drop_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def db_url() -> Iterator[str]:
    """A fresh database with the schema, procedures and demo data, as the admin sees it (the
    server logs in as the web tier: api_url); dropped afterwards."""
    name = f"jiokidz_pytest_{os.getpid()}"
    drop_database(name)
    url = database_url(name)
    migrate_database(url)
    yield url
    drop_database(name)


@pytest.fixture
def db(db_url: str) -> Iterator[psycopg.Connection]:
    """A direct autocommit connection to the test database, for arranging and checking rows."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        yield conn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """app.main:app served by uvicorn as `make run` serves it (one worker unless `args` say
    more: --workers 2...), and where its log goes."""

    def __init__(self, env: dict[str, str], log_path: Path, args: tuple[str, ...] = ()):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"),
                *("--port", str(self.port), "--no-access-log", *args),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log_path.read_text()}")
            try:
                httpx.get(f"{self.base_url}/healthz", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log_path.read_text()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def log_line(self, needle: str, timeout: float = 5) -> str:
        """The last log line containing needle, waited for: the access line is written once
        the answer is sent."""
        deadline = time.monotonic() + timeout
        while True:
            lines = [line for line in self.log().splitlines() if needle in line]
            if lines or time.monotonic() > deadline:
                assert lines, f"no log line with {needle!r}"
                return lines[-1]
            time.sleep(0.02)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def worker_url(url: str) -> str:
    """The database at `url` as the worker logs in to it (WORKER_DATABASE_URL's user)."""
    return logged_in_as(url, Settings.from_env().worker_database_url)


@pytest.fixture(scope="session")
def worker(db_url: str, tmp_path_factory) -> Iterator[Worker]:
    """The worker beside the session's server, as `make run` has it: the relay publishes the
    test database's events to a real RabbitMQ, under a prefix of the run's own, and the
    consumers handle them (refunds reach the mock gateway). Its queues go after the run."""
    prefix = new_prefix()
    started = Worker(
        worker_env(worker_url(db_url), prefix), tmp_path_factory.mktemp("worker") / "worker.log"
    )
    yield started
    started.stop()
    delete_topology(prefix)


@pytest.fixture
def replace_worker(worker: Worker, tmp_path) -> Iterator:
    """For one test, the session's worker replaced by one with other settings (SMS backend,
    gateway...), on the same database and queues: replace_worker(SETTING="value", ...). The
    session's worker is back after the test."""
    started: list[Worker] = []

    def replace(**env: str) -> Worker:
        for running in [worker, *started]:
            running.stop()
        started.append(Worker({**worker.env, **env}, tmp_path / f"worker{len(started)}.log"))
        return started[-1]

    yield replace
    for replacement in started:
        replacement.stop()
    if not worker.running:
        worker.start()


@pytest.fixture(scope="session")
def server(db_url: str, worker: Worker, tmp_path_factory) -> Iterator[Server]:
    srv = Server(
        {"DATABASE_URL": api_url(db_url), "JIOKIDZ_ENV": "test"},
        tmp_path_factory.mktemp("server") / "server.log",
    )
    yield srv
    srv.stop()


def server_starter(tmp_path_factory) -> Iterator:
    started: list[Server] = []

    def start(env: dict[str, str], args: tuple[str, ...] = ()) -> Server:
        srv = Server(env, tmp_path_factory.mktemp("server") / "server.log", args)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture(scope="session")
def start_server(tmp_path_factory) -> Iterator:
    """Start extra servers with their own settings (production, a database that is down...),
    kept until the end of the run: for module-scoped fixtures."""
    yield from server_starter(tmp_path_factory)


@pytest.fixture
def start_test_server(tmp_path_factory) -> Iterator:
    """start_server for one test: its servers stop when it ends, giving back their database
    connections (each holds a pool per worker, and the cache's listener and the replica's
    watch their own)."""
    yield from server_starter(tmp_path_factory)


PRIVATE_PG = ROOT / "scripts" / "private_pg.sh"


@pytest.fixture
def private_primary() -> Iterator[tuple[str, Path]]:
    """A fresh private cluster (scripts/private_pg.sh, as `make run` makes on a machine without
    PostgreSQL): the admin's URL and its data folder. Under /tmp with open parents: as root
    the server runs as the postgres user."""
    parent = Path(tempfile.mkdtemp(prefix="jiokidz-pg-", dir="/tmp"))
    os.chmod(parent, 0o755)
    data, port = parent / "pgdata", free_port()
    try:
        started = subprocess.run(
            [PRIVATE_PG, "start", data, str(port)], capture_output=True, text=True, timeout=120
        )
        assert started.returncode == 0, started.stdout + started.stderr
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", data
    finally:
        subprocess.run([PRIVATE_PG, "stop", data, "immediate"], capture_output=True, timeout=60)
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="session")
def replica() -> Iterator[Replica]:
    """A real streaming replica of the test server (tests/replica.py): every test database,
    made before or after it, streams to it. Removed, with its slot, after the run."""
    started = start_replica()
    yield started
    started.remove()


@pytest.fixture(scope="module")
def category(db_url: str) -> int:
    """A category of the test module's own, for the products it makes."""
    # Imported here: tests.helpers_cart imports this module.
    from tests.helpers_cart import make_category

    with psycopg.connect(db_url, autocommit=True) as conn:
        return make_category(conn)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        yield http


@pytest.fixture
def prefix() -> Iterator[str]:
    """A Redis key prefix (REDIS_KEY_PREFIX) of this test's own; its keys are deleted after."""
    name = f"jiokidz-test-{uuid.uuid4().hex}"
    yield name
    keys = redis.Redis().keys(f"{name}:*")
    if keys:
        redis.Redis().delete(*keys)


def readyz(client: httpx.Client) -> dict:
    """/readyz of the server `client` talks to (its base URL is the API's)."""
    return httpx.get(client.base_url.copy_with(path="/readyz"), timeout=10).json()


_phones = itertools.count(int(time.time()) % 10_000_000)


def new_phone() -> str:
    """A 10-digit mobile number no other test in this run uses."""
    return f"9{next(_phones) % 1_000_000_000:09d}"


def login(client: httpx.Client, phone: str | None = None) -> tuple[str, dict]:
    """Log a user in through the real OTP flow; returns (access_token, login answer)."""
    phone = phone or new_phone()
    sent = client.post("/auth/send-otp", json={"phone": phone})
    assert sent.status_code == 200, sent.text
    verified = client.post("/auth/verify-otp", json={"phone": phone, "otp": sent.json()["dev_otp"]})
    assert verified.status_code == 200, verified.text
    return verified.json()["access_token"], verified.json()


def assert_problem(response: httpx.Response, status: int, code: str) -> dict:
    """The response is problem+json with this status and code; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["code"] == code, body
    assert {"type", "title", "detail", "errors"} <= body.keys()
    return body


def pytest_terminal_summary(terminalreporter) -> None:
    """One line per hardening scenario (tests/reliability.py), after the test results."""
    if reliability.LINES:
        terminalreporter.section("reliability and security figures")
        for line in reliability.LINES:
            terminalreporter.write_line(line)
