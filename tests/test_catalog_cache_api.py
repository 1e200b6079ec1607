"""The catalog cache (app/cache.py) and the HTTP caching headers, over real HTTP with a real
Redis and the database's own notifications (db/tables/370_catalog_changes.sql).

To tell an answer served from the cache from one read from PostgreSQL, a test rewrites the
stored entry's body in Redis (keeping its versions): the cache answers the rewritten body,
PostgreSQL never does."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Iterator

import httpx
import psycopg
import pytest
import redis

from tests.conftest import API, api_url, free_port, login, readyz
from tests.helpers_cart import make_category, make_product, shopper
from tests.helpers_orders import buyer, place_order

STRONG_ETAG = re.compile(r'"[A-Za-z0-9_-]{24}"')
MARKER = b'{"served": "from the cache"}'


@pytest.fixture
def cached(db_url, start_test_server, prefix) -> httpx.Client:
    server = start_test_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "REDIS_KEY_PREFIX": prefix,
            "CATALOG_MAX_AGE": "30",
        }
    )
    client = httpx.Client(base_url=server.base_url + API, timeout=10)
    wait_for_cache(client)
    return client


def wait_for_cache(client: httpx.Client, state: str = "on") -> None:
    deadline = time.monotonic() + 10
    while readyz(client)["cache"] != state:
        assert time.monotonic() < deadline, f"the cache never became {state}"
        time.sleep(0.05)


def answer_keys(prefix: str) -> set[bytes]:
    return set(redis.Redis().keys(f"{prefix}:answer:*"))


def rewrite_entry(key: bytes) -> None:
    """Keep the entry's versions and ETag, replace its body with MARKER."""
    stored = redis.Redis().get(key)
    *head, _body = stored.split(b"\n", stored.count(b"\n"))
    redis.Redis().set(key, b"\n".join([*head, MARKER]), keepttl=True)


def settle(prefix: str) -> None:
    """Wait until the versions stop moving: the notifications of the rows a test has just
    made reach the listener after their commits."""
    versions = None
    while versions != (versions := {k: redis.Redis().get(k) for k in version_keys(prefix)}):
        time.sleep(0.2)


def version_keys(prefix: str) -> list[bytes]:
    return redis.Redis().keys(f"{prefix}:ver:*")


def cache_one(client: httpx.Client, prefix: str, path: str, **kwargs) -> bytes:
    """GET path once (filling the cache), once the versions have settled, and return the new
    entry's key."""
    settle(prefix)
    before = answer_keys(prefix)
    assert client.get(path, **kwargs).status_code == 200
    (key,) = answer_keys(prefix) - before
    return key


def wait_until(condition, seconds: float = 5) -> float:
    """Seconds until condition() held; fails after `seconds`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "condition not met in time"
        time.sleep(0.01)
    return time.monotonic() - started


# --- HTTP caching, on the shared server (no Redis) ------------------------------------------


def test_public_catalog_answers_carry_a_strong_etag_and_public_cache_control(client):
    for path in ("/products/1", "/products?page_size=5", "/products/categories/"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert STRONG_ETAG.fullmatch(answer.headers["etag"]), path
        assert answer.headers["cache-control"] == "public, max-age=10", path
        again = client.get(path)
        assert again.headers["etag"] == answer.headers["etag"], path


@pytest.mark.parametrize(
    "if_none_match",
    ["{etag}", "W/{etag}", '"other", {etag}', "*"],
)
def test_a_current_if_none_match_gets_304_with_no_body(client, if_none_match):
    etag = client.get("/products/1").headers["etag"]
    answer = client.get("/products/1", headers={"If-None-Match": if_none_match.format(etag=etag)})
    assert answer.status_code == 304
    assert answer.content == b""
    assert answer.headers["etag"] == etag
    assert answer.headers["cache-control"] == "public, max-age=10"


def test_a_stale_etag_gets_the_new_body(client, db):
    product = make_product(db, make_category(db), price=20000)
    etag = client.get(f"/products/{product}").headers["etag"]
    db.execute("UPDATE store.products SET price = 12000 WHERE id = %s", (product,))

    answer = client.get(f"/products/{product}", headers={"If-None-Match": etag})

    assert answer.status_code == 200 and answer.json()["price"] == 12000
    assert answer.headers["etag"] != etag


def test_answers_for_a_user_and_errors_are_not_stored(client):
    token, _ = login(client)
    bearer = {"Authorization": f"Bearer {token}"}
    personal = client.get("/products?page_size=5", headers=bearer)
    assert personal.headers["cache-control"] == "private, no-store"
    for answer in (
        client.get("/users/me", headers=bearer),
        client.get("/cart", headers=bearer),
        client.get("/products/999999999"),
        client.post("/auth/send-otp", json={"phone": "12"}),
    ):
        assert answer.headers["cache-control"] == "no-store", answer.request.url
        assert "etag" not in answer.headers


# --- the Redis cache ------------------------------------------------------------------------


def test_a_second_anonymous_read_is_served_from_the_cache(cached, prefix, db):
    product = make_product(db, make_category(db))
    key = cache_one(cached, prefix, f"/products/{product}")
    rewrite_entry(key)

    assert cached.get(f"/products/{product}").content == MARKER
    assert cached.get(f"/products/{product + 1}").content != MARKER  # its own key


def test_a_price_change_is_served_within_a_second(cached, prefix, db):
    category = make_category(db)
    product = make_product(db, category, price=20000)
    detail, listing = f"/products/{product}", f"/products?category_id={category}"
    for path in (detail, listing, "/products/categories/"):
        rewrite_entry(cache_one(cached, prefix, path))
        assert cached.get(path).content == MARKER

    db.execute("UPDATE store.products SET price = 15000 WHERE id = %s", (product,))

    waited = wait_until(lambda: cached.get(detail).json().get("price") == 15000)
    assert waited < 1
    assert cached.get(listing).json()["items"][0]["price"] == 15000
    assert cached.get("/products/categories/").content != MARKER


def test_a_price_change_keeps_other_pages_and_a_category_rename_drops_them(cached, prefix, db):
    category = make_category(db)
    changed, other = make_product(db, category, price=20000), make_product(db, category)
    for product in (changed, other):
        rewrite_entry(cache_one(cached, prefix, f"/products/{product}"))

    db.execute("UPDATE store.products SET price = 15000 WHERE id = %s", (changed,))
    wait_until(lambda: cached.get(f"/products/{changed}").content != MARKER)
    assert cached.get(f"/products/{other}").content == MARKER

    db.execute("UPDATE store.categories SET name = 'Renamed' WHERE id = %s", (category,))
    wait_until(lambda: cached.get(f"/products/{other}").content != MARKER)
    assert cached.get(f"/products/{other}").json()["category"]["name"] == "Renamed"


def test_a_sale_refreshes_the_products_stock_but_not_every_list(cached, prefix, db, client):
    category = make_category(db)
    product = make_product(db, category, stock=10)
    other = make_product(db, category, stock=10)
    detail_key = cache_one(cached, prefix, f"/products/{product}")
    other_key = cache_one(cached, prefix, f"/products/{other}")
    list_key = cache_one(cached, prefix, f"/products?category_id={category}")
    for key in (detail_key, other_key, list_key):
        rewrite_entry(key)

    place_order(client, buyer(client), [(product, 3)])  # reserves 3 of 10: still in stock

    wait_until(lambda: cached.get(f"/products/{product}").content != MARKER)
    assert cached.get(f"/products/{product}").json()["stock"] == 7
    assert cached.get(f"/products/{other}").content == MARKER
    assert cached.get(f"/products?category_id={category}").content == MARKER


def test_selling_out_refreshes_the_lists(cached, prefix, db, client):
    category = make_category(db)
    product = make_product(db, category, stock=2)
    listing = f"/products?category_id={category}&in_stock=true"
    rewrite_entry(cache_one(cached, prefix, listing))

    place_order(client, buyer(client), [(product, 2)])

    wait_until(lambda: cached.get(listing).content != MARKER)
    assert cached.get(listing).json()["items"] == []


def test_a_reader_who_has_just_written_skips_the_cache(cached, prefix, db):
    product = make_product(db, make_category(db))
    rewrite_entry(cache_one(cached, prefix, f"/products/{product}"))
    user = shopper(cached)
    added = cached.post(
        "/cart/items", json={"product_id": product, "quantity": 1}, headers=user.headers
    )
    assert added.status_code == 201

    assert cached.get(f"/products/{product}", headers=user.headers).content != MARKER
    assert cached.get(f"/products/{product}").content == MARKER  # anyone else: cached
    assert redis.Redis().pttl(f"{prefix}:wrote:{user.id}") > 0


def test_a_lost_listener_skips_the_cache_then_drops_every_entry(cached, prefix, db):
    """A change made while the listener is away goes unseen: on reconnecting it moves the
    catalog version, so every entry goes, the unchanged product's too."""
    category = make_category(db)
    changed, unchanged = make_product(db, category), make_product(db, category)
    for product in (changed, unchanged):
        rewrite_entry(cache_one(cached, prefix, f"/products/{product}"))

    db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'jiokidz-catalog-listener' AND datname = current_database()"
    )
    wait_for_cache(cached, "skipped")
    db.execute("UPDATE store.products SET name = 'Renamed' WHERE id = %s", (changed,))
    assert readyz(cached)["cache"] == "skipped"  # the change's notification had no listener
    assert cached.get(f"/products/{unchanged}").content != MARKER

    wait_for_cache(cached, "on")
    assert cached.get(f"/products/{changed}").json()["name"] == "Renamed"
    assert cached.get(f"/products/{unchanged}").content != MARKER


def test_without_redis_the_catalog_is_served_from_postgresql(db_url, start_test_server):
    server = start_test_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    )
    with httpx.Client(base_url=server.base_url + API, timeout=10) as client:
        answers = [client.get("/products/1") for _ in range(3)]
        assert readyz(client)["cache"] == "skipped"
    assert {a.status_code for a in answers} == {200}
    assert answers[0].json()["id"] == 1
    assert "catalog listener failed" in server.log()


def test_cached_reads_under_price_changes_are_never_older_than_a_second(cached, db):
    """Readers hammer one product while its price changes 20 times: every answer read more
    than a second after a change shows that change or a later one."""
    product = make_product(db, make_category(db), price=20000)  # mrp 20000: prices go down
    changes: list[tuple[float, int]] = []
    stale = []
    with psycopg.connect(db.info.dsn, autocommit=True) as writer:
        for step in range(1, 21):
            price = 20000 - step
            writer.execute("UPDATE store.products SET price = %s WHERE id = %s", (price, product))
            changes.append((time.monotonic(), price))
            for _ in range(5):
                started = time.monotonic()
                shown = cached.get(f"/products/{product}").json()["price"]
                settled = [p for at, p in changes if at < started - 1]
                if settled and shown > settled[-1]:
                    stale.append((shown, settled[-1]))
                time.sleep(0.03)
    assert stale == []
    assert cached.get(f"/products/{product}").json()["price"] == 19980


@pytest.fixture
def own_redis() -> Iterator:
    """A Redis of this test's own on a free port, to stop and start again."""
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]

    def start() -> subprocess.Popen:
        process = subprocess.Popen([*command, "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_until(lambda: redis.Redis(port=port).ping() if port_open(port) else False)
        return process

    processes = [start()]
    yield port, processes, start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_redis_lost_mid_run_serves_postgresql_then_the_cache_again(
    db_url, db, start_test_server, own_redis
):
    port, processes, start = own_redis
    server = start_test_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        }
    )
    client = httpx.Client(base_url=server.base_url + API, timeout=10)
    wait_for_cache(client)
    product = make_product(db, make_category(db), price=20000)
    assert client.get(f"/products/{product}").json()["price"] == 20000

    processes[0].terminate()
    processes[0].wait(timeout=10)
    db.execute("UPDATE store.products SET price = 15000 WHERE id = %s", (product,))
    answers = [client.get(f"/products/{product}") for _ in range(20)]

    assert {a.status_code for a in answers} == {200}
    assert {a.json()["price"] for a in answers} == {15000}
    assert readyz(client)["cache"] == "skipped"
    server.log_line("Redis unavailable for the catalog cache")  # written as the answer goes
    assert server.log().count("Redis unavailable for the catalog cache") == 1

    processes.append(start())
    wait_for_cache(client, "on")  # the listener reconnects, and moves every version
    assert client.get(f"/products/{product}").json()["price"] == 15000
    assert redis.Redis(port=port).keys("jiokidz:answer:*")
