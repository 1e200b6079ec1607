"""Faults under a load of checkouts, on a private PostgreSQL cluster this module starts in a
temporary folder (scripts/private_pg.sh; never the machine's shared server) and real uvicorn
servers on it.

Shoppers in threads run checkouts (add to cart, POST /orders and POST /payments/initiate with
an Idempotency-Key, then verify with Razorpay's signature) and, like a careful client, retry a
request whose outcome they do not know (503, 409 idempotency_key_in_use, no answer) with the
same key. Meanwhile PostgreSQL is stopped (-m fast, then -m immediate) and started again, or a
server worker is killed with SIGKILL in the middle of placing an order. The API must answer
503 problem+json while the database is away (never a 500, never a hang), recover on its own
within seconds, and lose or double nothing: every order answered 2xx exists exactly once, one
key never makes two orders, no half-made order survives the sweeper, and internal.check_invariants
finds nothing. Each scenario reports its figures (tests/reliability.py)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import API, ROOT, api_url, free_port, migrate_database
from tests.helpers_cart import make_category, make_product
from tests.helpers_orders import buyer, checkout_result, fill_cart, violations
from tests.reliability import Outage, Tally, report

SCRIPT = ROOT / "scripts" / "private_pg.sh"
SHOPPERS = 6
RETRY_PAUSE = 0.1  # seconds between tries of a request whose outcome is unknown
GIVE_UP_AFTER = 30.0  # seconds of retrying one request: the API did not recover
CLIENT_TIMEOUT = 10.0  # a request without an answer by then has hung
RECOVERY_LIMIT = 5.0  # seconds from PostgreSQL accepting connections to the API's first 2xx
DOWN_FOR = 5.0  # seconds PostgreSQL stays stopped


@pytest.fixture(scope="module")
def cluster():
    """A private cluster and a migrated database on it: (data folder, port, url)."""
    parent = Path(tempfile.mkdtemp(prefix="jiokidz-faults-", dir="/tmp"))
    os.chmod(parent, 0o755)  # as root the server runs as postgres, which must reach the folder
    data, port = parent / "pgdata", free_port()
    started = subprocess.run(
        [SCRIPT, "start", data, str(port)], capture_output=True, text=True, timeout=120
    )
    assert started.returncode == 0, started.stdout + started.stderr
    url = f"postgresql://postgres@127.0.0.1:{port}/jiokidz_faults"
    try:
        migrate_database(url)
        yield data, port, url
    finally:
        subprocess.run([SCRIPT, "stop", data], capture_output=True, timeout=60)
        shutil.rmtree(parent, ignore_errors=True)


def pg_stop(data: Path, mode: str) -> None:
    done = subprocess.run([SCRIPT, "stop", data, mode], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def pg_start(data: Path, port: int) -> None:
    done = subprocess.run(
        [SCRIPT, "start", data, str(port)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


class Shopper(threading.Thread):
    """One customer running checkouts until told to stop, retrying unknown outcomes."""

    def __init__(self, server, user, products: list[int], run: Run):
        super().__init__(daemon=True)
        self.base_url, self.user, self.products, self.run_ = server.base_url, user, products, run
        self.orders: dict[str, set[int]] = defaultdict(set)  # Idempotency-Key -> order ids
        self.paid: set[int] = set()
        self.error: BaseException | None = None

    def request(self, http: httpx.Client, method: str, path: str, **kwargs) -> httpx.Response:
        """Sends until the outcome is known: another answer than 503, 409
        idempotency_key_in_use or none at all."""
        deadline = time.monotonic() + GIVE_UP_AFTER
        headers = {**self.user.headers, **kwargs.pop("headers", {})}
        while True:
            try:
                response = http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError:
                self.run_.saw(None)
            else:
                self.run_.saw(response)
                if response.status_code == 503:
                    problem = response.json()
                    assert response.headers["content-type"].startswith("application/problem+json")
                    assert problem["code"] == "service_unavailable", problem
                elif not (
                    response.status_code == 409
                    and response.json()["code"] == "idempotency_key_in_use"
                ):
                    return response
            assert time.monotonic() < deadline, f"{method} {path}: no answer for {GIVE_UP_AFTER}s"
            time.sleep(RETRY_PAUSE)

    def checkout(self, http: httpx.Client, cycle: int) -> None:
        product = self.products[cycle % len(self.products)]
        added = self.request(
            http, "POST", "/cart/items", json={"product_id": product, "quantity": 1}
        )
        assert added.status_code in (201, 422), added.text  # 422: a retried add filled the line
        key = str(uuid.uuid4())
        placed = self.request(
            http,
            "POST",
            "/orders",
            json={"address_id": self.user.address_id},
            headers={"Idempotency-Key": key},
        )
        assert placed.status_code == 201, placed.text
        order_id = placed.json()["id"]
        self.orders[key].add(order_id)
        started = self.request(
            http,
            "POST",
            "/payments/initiate",
            json={"order_id": order_id},
            headers={"Idempotency-Key": f"pay-{key}"},
        )
        assert started.status_code == 201, started.text
        result = checkout_result(started.json()["gateway_order_id"])
        verified = self.request(http, "POST", "/payments/verify", json=result)
        assert verified.status_code == 200, verified.text
        assert verified.json()["order_status"] == "confirmed", verified.text
        self.paid.add(order_id)

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.base_url + API, timeout=CLIENT_TIMEOUT) as http:
                for cycle in range(10_000):  # bounded; the scenario stops it much earlier
                    if self.run_.stopping.is_set():
                        return
                    self.checkout(http, cycle)
        except BaseException as exc:  # noqa: BLE001 - reported by the scenario
            self.error = exc


class Run:
    """What the shoppers of one scenario saw, and when."""

    def __init__(self) -> None:
        self.tally, self.outage = Tally(), Outage()
        self.stopping = threading.Event()

    def saw(self, response: httpx.Response | None) -> None:
        status = None if response is None else response.status_code
        self.tally.count(status)
        if status is not None and 200 <= status < 300:
            self.outage.ok()


def shoppers(server, url: str, run: Run) -> list[Shopper]:
    with (
        httpx.Client(base_url=server.base_url + API, timeout=10) as http,
        psycopg.connect(url, autocommit=True) as db,
    ):
        category = make_category(db)
        products = [make_product(db, category, price=30000, stock=1_000_000) for _ in range(4)]
        return [Shopper(server, buyer(http), products, run) for _ in range(SHOPPERS)]


def finish(threads: list[Shopper], run: Run) -> None:
    run.stopping.set()
    for thread in threads:
        thread.join(GIVE_UP_AFTER + CLIENT_TIMEOUT)
        assert not thread.is_alive(), "a shopper hung"
    errors = [thread.error for thread in threads if thread.error is not None]
    assert not errors, errors


def check_orders(db: psycopg.Connection, threads: list[Shopper]) -> None:
    """Every order answered 2xx exists exactly once, one key made one order, and the shoppers
    have no order nobody was told about."""
    answered = set()
    for thread in threads:
        for key, ids in thread.orders.items():
            assert len(ids) == 1, f"Idempotency-Key {key} answered orders {ids}"
            answered |= ids
        stored = {
            order_id
            for (order_id,) in db.execute(
                "SELECT id FROM store.orders WHERE user_id = %s", (thread.user.id,)
            )
        }
        assert stored == set().union(*thread.orders.values()), "an order nobody was told about"
        confirmed = {
            order_id
            for (order_id,) in db.execute(
                "SELECT id FROM store.orders WHERE user_id = %s AND status = 'confirmed'",
                (thread.user.id,),
            )
        }
        assert thread.paid <= confirmed
    assert db.execute(
        "SELECT count(*), count(DISTINCT id) FROM store.orders WHERE id = ANY(%s)",
        (list(answered),),
    ).fetchone() == (len(answered), len(answered))


def probe_user(server, url: str):
    """A buyer with one unit in the cart, ready to place an order."""
    with (
        httpx.Client(base_url=server.base_url + API, timeout=10) as http,
        psycopg.connect(url, autocommit=True) as db,
    ):
        user = buyer(http)
        fill_cart(http, user, [(make_product(db, make_category(db), stock=10), 1)])
    return user


def place(server, user, key: str) -> httpx.Response:
    return httpx.post(
        f"{server.base_url}{API}/orders",
        json={"address_id": user.address_id},
        headers={**user.headers, "Idempotency-Key": key},
        timeout=CLIENT_TIMEOUT,
    )


def orders_of(db: psycopg.Connection, user) -> list[int]:
    return [i for (i,) in db.execute("SELECT id FROM store.orders WHERE user_id = %s", (user.id,))]


@pytest.fixture(scope="module")
def api(cluster, start_server):
    _, _, url = cluster
    return start_server({"DATABASE_URL": api_url(url), "JIOKIDZ_ENV": "test"})


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgresql_restarts_under_checkout_load(cluster, api, mode):
    data, port, url = cluster
    run = Run()
    threads = shoppers(api, url, run)
    probe, key = probe_user(api, url), str(uuid.uuid4())
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # checkouts flowing

    pg_stop(data, mode)
    stopped = time.monotonic()
    refused = place(api, probe, key)  # an order asked for while the database is away
    run.saw(refused)
    time.sleep(max(0.0, DOWN_FOR - (time.monotonic() - stopped)))
    pg_start(data, port)
    back = time.monotonic()
    deadline = back + RECOVERY_LIMIT
    while run.outage.first_after(back) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    recovered = run.outage.first_after(back)
    retry = Shopper(api, probe, [], run).request  # the probe retries as the shoppers do
    body, headers = {"address_id": probe.address_id}, {"Idempotency-Key": key}
    with httpx.Client(base_url=api.base_url + API, timeout=CLIENT_TIMEOUT) as http:
        first = retry(http, "POST", "/orders", json=body, headers=dict(headers))
        again = retry(http, "POST", "/orders", json=body, headers=dict(headers))
    time.sleep(1.5)  # and checkouts flow again
    finish(threads, run)

    with psycopg.connect(url, autocommit=True) as db:
        found = violations(db)
        took = "never" if recovered is None else f"{recovered - back:.1f} s"
        report(
            f"fault: PostgreSQL stop -m {mode}, {DOWN_FOR:.0f} s down, {SHOPPERS} shoppers, "
            f"first 2xx {took} after its return",
            run.tally,
            unavailable=run.outage.seconds,
            violations=len(found),
        )
        assert recovered is not None, f"no 2xx within {RECOVERY_LIMIT} s of PostgreSQL's return"
        assert refused.status_code == 503, refused.text
        assert (first.status_code, again.status_code) == (201, 201), (first.text, again.text)
        assert orders_of(db, probe) == [first.json()["id"]] == [again.json()["id"]]
        assert run.tally.statuses.get(503, 0) > 0, "the outage was never seen"
        assert run.tally.server_errors == run.tally.statuses[503], run.tally.statuses
        assert run.tally.failed == 0, "a request got no answer"
        assert "unexpected error" not in api.log()
        check_orders(db, threads)
        assert found == [], found


def parent_pid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def blocked_worker(db: psycopg.Connection, blocker: int, timeout: float = 5.0) -> int:
    """The pid of the server worker whose request waits for a lock that the backend `blocker`
    holds (the worker's pid is its backends' application_name, app.db)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = db.execute(
            "SELECT application_name FROM pg_stat_activity"
            " WHERE %s = ANY(pg_blocking_pids(pid)) AND application_name LIKE 'jiokidz-api-%%'",
            (blocker,),
        ).fetchone()
        if row:
            return int(row[0].rsplit("-", 1)[1])
        time.sleep(0.02)
    raise AssertionError(f"no request waiting for backend {blocker}")


def test_killing_a_worker_mid_checkout_leaves_no_half_made_order(cluster, start_test_server):
    """A worker is killed (SIGKILL) while its request is inside create_order, waiting for the
    cart's row lock; other shoppers keep buying through both workers. The orphaned statement
    still commits the order (PostgreSQL notices the lost client only when it answers), the
    client saw the connection cut, and its retry with the same Idempotency-Key answers that
    very order. Then every reservation's window is made to pass and the sweeper runs: no
    reservation or unpaid order is left, every capture has its confirmed order, and the
    invariants hold."""
    _, _, url = cluster
    server = start_test_server(
        {"DATABASE_URL": api_url(url), "JIOKIDZ_ENV": "test"}, ("--workers", "2")
    )
    run = Run()
    threads = shoppers(server, url, run)
    victim, key = probe_user(server, url), str(uuid.uuid4())
    for thread in threads:
        thread.start()
    time.sleep(1.0)

    outcome: dict[str, object] = {}

    def place_order() -> None:
        try:
            outcome["response"] = place(server, victim, key)
        except httpx.TransportError as exc:
            outcome["cut"] = exc

    with (
        psycopg.connect(url) as holder,
        psycopg.connect(url, autocommit=True) as db,
    ):
        holder.execute("SELECT FROM store.carts WHERE user_id = %s FOR UPDATE", (victim.id,))
        placing = threading.Thread(target=place_order)
        placing.start()
        worker = blocked_worker(db, holder.info.backend_pid)  # in create_order: lock_cart
        assert parent_pid(worker) == server.process.pid, "only a worker of this server"
        os.kill(worker, signal.SIGKILL)
        holder.rollback()  # the cart is free: the orphaned create_order goes on and commits
        placing.join(CLIENT_TIMEOUT + 5)
        assert "cut" in outcome, outcome  # the client never got its answer
        run.saw(None)
        deadline = time.monotonic() + 5
        while not orders_of(db, victim) and time.monotonic() < deadline:
            time.sleep(0.05)
        committed = orders_of(db, victim)
        assert len(committed) == 1, "the orphaned statement committed the order"

    retry = Shopper(server, victim, [], run).request
    with httpx.Client(base_url=server.base_url + API, timeout=CLIENT_TIMEOUT) as http:
        replay = retry(
            http,
            "POST",
            "/orders",
            json={"address_id": victim.address_id},
            headers={"Idempotency-Key": key},
        )
    time.sleep(1.5)  # the shoppers go on through the other worker (and a new one)
    finish(threads, run)

    with psycopg.connect(url, autocommit=True) as db:
        assert replay.status_code == 201 and replay.json()["id"] == committed[0], replay.text
        assert orders_of(db, victim) == committed
        check_orders(db, threads)
        db.execute(  # every unpaid order's window has passed
            "UPDATE store.orders SET payment_due_at = now() - interval '1 second'"
            " WHERE status = 'pending_payment'"
        )
        db.execute(
            "UPDATE store.inventory_locks SET expires_at = now() - interval '1 second'"
            " WHERE status = 'active'"
        )
        swept = db.execute("SELECT api.sweep()").fetchone()[0]
        assert swept["orders_expired"] >= 1, swept  # the victim's order at least
        leftovers = db.execute(
            """
            SELECT (SELECT count(*) FROM store.inventory_locks WHERE status = 'active'),
                   (SELECT count(*) FROM store.orders WHERE status = 'pending_payment'),
                   (SELECT count(*) FROM store.orders AS o WHERE NOT EXISTS
                        (SELECT FROM store.order_items AS i WHERE i.order_id = o.id)),
                   (SELECT count(*) FROM store.payments AS p JOIN store.orders AS o
                        ON o.id = p.order_id
                    WHERE p.status = 'captured'
                      AND o.status NOT IN ('confirmed', 'cancelled', 'expired'))
            """
        ).fetchone()
        found = violations(db)
        report(
            "fault: kill -9 a worker inside create_order, 2 workers, "
            f"{SHOPPERS} shoppers, then the sweeper",
            run.tally,
            unavailable=run.outage.seconds,
            violations=len(found),
        )
        assert leftovers == (0, 0, 0, 0), leftovers
        assert run.tally.server_errors == 0, run.tally.statuses
        deadline = time.monotonic() + 10  # uvicorn's supervisor replaces the dead worker
        while server.log().count("Started server process") < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        log = server.log()
        assert f"Child process [{worker}] died" in log
        assert log.count("Started server process") == 3
        assert "unexpected error" not in server.log()
        assert found == [], found
