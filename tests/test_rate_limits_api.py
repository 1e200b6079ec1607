"""Rate limits over real HTTP (docs/api.md "Rate limits"): send-otp per client address, and
writes per user (GCRA in a real Redis, app/ratelimit.py). Each write test starts its own server
with a small limit and a Redis key prefix of its own; the shared test server runs with the test
environment's defaults, under which nothing is limited."""

from __future__ import annotations

import time
import uuid

import httpx
import psycopg
import pytest
import redis

from tests.conftest import API, api_url, assert_problem, new_phone
from tests.helpers_cart import Shopper, make_coupon, make_product, shopper
from tests.helpers_orders import buyer

LIMIT = 3
REDIS_URL = "redis://127.0.0.1:6379/0"
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
# Every write test's limit: one write a minute, three at once, so nothing in a test refills it.
WRITE_RATE, WRITE_BURST = 1, 3
# The rows a write of a user could touch, for "a refused write changed nothing".
USER_TABLES = (
    "carts",
    "cart_items",
    "coupon_usage",
    "orders",
    "order_items",
    "inventory_locks",
    "payments",
    "payment_attempts",
    "refunds",
    "idempotency_keys",
)


def send_otps(server, count: int) -> list[httpx.Response]:
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        return [http.post("/auth/send-otp", json={"phone": new_phone()}) for _ in range(count)]


@pytest.mark.parametrize("backend", ["redis", "in-process"])
def test_send_otp_is_limited_per_client_address(db_url, start_test_server, prefix, backend):
    env = {
        "DATABASE_URL": api_url(db_url),
        "JIOKIDZ_ENV": "test",
        "OTP_IP_LIMIT_PER_HOUR": str(LIMIT),
    }
    if backend == "redis":
        env |= {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix}
    server = start_test_server(env)

    answers = send_otps(server, LIMIT + 1)

    assert [a.status_code for a in answers[:LIMIT]] == [200] * LIMIT
    refused = assert_problem(answers[LIMIT], 429, "rate_limited")
    assert "address" in refused["detail"]
    assert 0 < int(answers[LIMIT].headers["retry-after"]) <= 3600
    if backend == "redis":
        keys = redis.Redis().keys(f"{prefix}:otp-ip:*")
        assert len(keys) == 1 and int(redis.Redis().get(keys[0])) == LIMIT + 1


def test_an_unreachable_redis_falls_back_to_counting_in_process(db_url, start_test_server):
    server = start_test_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "OTP_IP_LIMIT_PER_HOUR": str(LIMIT),
            "REDIS_URL": UNREACHABLE_REDIS_URL,
        }
    )
    answers = send_otps(server, LIMIT + 1)
    assert [a.status_code for a in answers] == [200] * LIMIT + [429]
    assert "counting in-process" in server.log()


def test_zero_turns_the_limit_off(client):
    # The shared test server runs JIOKIDZ_ENV=test, whose default limit is 0.
    answers = [client.post("/auth/send-otp", json={"phone": new_phone()}) for _ in range(8)]
    assert [a.status_code for a in answers] == [200] * 8


def test_a_body_over_64_kib_answers_413_problem(client):
    response = client.post(
        "/auth/send-otp",
        content=b'{"phone": "' + b"9" * 70_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 413, "body_too_large")


def test_a_chunked_body_over_64_kib_answers_413_problem(client):
    def chunks():
        yield b'{"phone": "'
        for _ in range(10):
            yield b"9" * 8192
        yield b'"}'

    response = client.post(
        "/auth/send-otp", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "body_too_large")


# --- writes per user -----------------------------------------------------------------------


@pytest.fixture
def product(db: psycopg.Connection, category: int) -> int:
    return make_product(db, category, stock=50)


def write_env(db_url: str, **settings: str) -> dict[str, str]:
    return {
        "DATABASE_URL": api_url(db_url),
        "JIOKIDZ_ENV": "test",
        "WRITE_RATE_PER_MINUTE": str(WRITE_RATE),
        "WRITE_BURST": str(WRITE_BURST),
        **settings,
    }


def api(server) -> httpx.Client:
    return httpx.Client(base_url=server.base_url + API, timeout=10)


def add_to_cart(http: httpx.Client, user: Shopper, product_id: int) -> httpx.Response:
    return http.post(
        "/cart/items", json={"product_id": product_id, "quantity": 1}, headers=user.headers
    )


def assert_rate_limited(response: httpx.Response) -> int:
    """A 429 rate_limited problem whose Retry-After is whole seconds, at least 1 and at most
    one write's interval; returns it."""
    body = assert_problem(response, 429, "rate_limited")
    retry_after = response.headers["retry-after"]
    assert retry_after.isdigit(), retry_after
    assert 1 <= int(retry_after) <= 60 // WRITE_RATE
    assert f"retry in {retry_after} seconds" in body["detail"]
    return int(retry_after)


def user_rows(db: psycopg.Connection, user_id: int) -> dict[str, list]:
    """Every row of the user in the tables a write could change, as JSON."""
    return {
        table: db.execute(
            f"SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY to_jsonb(r)::text), '[]')"
            f" FROM store.{table} AS r WHERE r.user_id = %s",
            (user_id,),
        ).fetchone()[0]
        for table in USER_TABLES
    }


def test_past_its_burst_a_user_gets_429_on_every_write_route_and_nothing_changes(
    db, db_url, start_test_server, prefix, product
):
    """Three writes pass (a cart line, an order, another line); every write route then answers
    429 before its procedure runs, though each of these requests would otherwise change the
    cart, the coupon, the orders or the payments. Reads go on; another user is unaffected."""
    server = start_test_server(write_env(db_url, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix))
    _, coupon = make_coupon(db)
    with api(server) as http:
        user, other = buyer(http), shopper(http)
        assert add_to_cart(http, user, product).status_code == 201
        placed = http.post("/orders", json={"address_id": user.address_id}, headers=user.headers)
        assert placed.status_code == 201, placed.text
        order_id = placed.json()["id"]
        added = add_to_cart(http, user, product)
        assert added.status_code == 201, added.text
        line = added.json()["items"][0]["id"]
        key = f"{prefix}:writes:{user.id}"
        tat = redis.Redis().get(key)
        before = user_rows(db, user.id)

        refused = [
            add_to_cart(http, user, product),
            http.put(f"/cart/items/{line}", json={"quantity": 5}, headers=user.headers),
            http.delete(f"/cart/items/{line}", headers=user.headers),
            http.post("/coupons/apply", json={"code": coupon}, headers=user.headers),
            http.post(
                "/orders",
                json={"address_id": user.address_id},
                headers={**user.headers, "Idempotency-Key": str(uuid.uuid4())},
            ),
            http.post(f"/orders/{order_id}/cancel", headers=user.headers),
            http.post("/payments/initiate", json={"order_id": order_id}, headers=user.headers),
            http.post(
                "/payments/verify",
                json={
                    "gateway_order_id": "order_unknown",
                    "gateway_payment_id": "pay_unknown",
                    "signature": "0" * 64,
                },
                headers=user.headers,
            ),
            http.post(
                "/refunds",
                json={"order_id": order_id, "reason": "Changed my mind"},
                headers=user.headers,
            ),
        ]
        for response in refused:
            assert_rate_limited(response)
        assert user_rows(db, user.id) == before
        assert redis.Redis().get(key) == tat, "a refused write is not counted"
        # The key lives until the bucket is full again: at most WRITE_BURST intervals.
        assert 0 < redis.Redis().pttl(key) <= WRITE_BURST * 60_000 // WRITE_RATE

        for _ in range(WRITE_BURST + 2):  # reads are never limited
            cart = http.get("/cart", headers=user.headers)
            assert cart.status_code == 200 and cart.json()["item_count"] == 1, cart.text
        assert http.get(f"/orders/{order_id}", headers=user.headers).status_code == 200
        assert [add_to_cart(http, other, product).status_code for _ in range(WRITE_BURST)] == [
            201
        ] * WRITE_BURST


def test_a_client_that_waits_retry_after_gets_through(db_url, start_test_server, prefix, product):
    # One write a second and no burst beyond it: the refusal's wait is at most a second.
    server = start_test_server(
        write_env(
            db_url,
            WRITE_RATE_PER_MINUTE="60",
            WRITE_BURST="1",
            REDIS_URL=REDIS_URL,
            REDIS_KEY_PREFIX=prefix,
        )
    )
    with api(server) as http:
        user = shopper(http)
        assert add_to_cart(http, user, product).status_code == 201
        refused = add_to_cart(http, user, product)
        assert_problem(refused, 429, "rate_limited")
        assert refused.headers["retry-after"] == "1"
        time.sleep(int(refused.headers["retry-after"]))
        assert add_to_cart(http, user, product).status_code == 201


def test_the_limit_is_per_user_across_workers_and_servers(
    db_url, start_test_server, prefix, product
):
    """Two servers (the first with two workers) on one Redis prefix: the writes a user made
    through one count on the other. Which worker of a server takes a connection is the
    kernel's choice, so the second server is what makes a second process certain."""
    env = write_env(db_url, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix)
    first, second = start_test_server(env, ("--workers", "2")), start_test_server(env)

    def write(server) -> int:
        with api(server) as http:  # a new connection each time, for either worker
            return add_to_cart(http, user, product).status_code

    with api(first) as http:
        user = shopper(http)
    assert [write(first) for _ in range(WRITE_BURST - 1)] == [201] * (WRITE_BURST - 1)
    assert write(second) == 201  # the burst's last write, wherever it lands
    with api(second) as http:
        assert_rate_limited(add_to_cart(http, user, product))
    with api(first) as http:
        assert_rate_limited(add_to_cart(http, user, product))


def test_an_unreachable_redis_limits_writes_in_each_process_and_says_so_once(
    db, db_url, start_test_server, product
):
    """The documented choice (docs/api.md "Rate limits"): writes are limited per process while
    Redis is down, reads are served as ever, and the outage is logged once, not per request."""
    server = start_test_server(write_env(db_url, REDIS_URL=UNREACHABLE_REDIS_URL))
    with api(server) as http:
        user = shopper(http)
        answers = [add_to_cart(http, user, product) for _ in range(WRITE_BURST + 1)]
        assert [a.status_code for a in answers[:WRITE_BURST]] == [201] * WRITE_BURST
        assert_rate_limited(answers[WRITE_BURST])
        lines = db.execute(
            "SELECT quantity FROM store.cart_items WHERE user_id = %s", (user.id,)
        ).fetchall()
        assert lines == [(WRITE_BURST,)]
        for _ in range(WRITE_BURST + 2):
            assert http.get("/cart", headers=user.headers).status_code == 200
        assert add_to_cart(http, shopper(http), product).status_code == 201
    log = server.log()
    assert log.count("Redis unavailable for write rate limits") == 1, log
    assert "limiting per process until it is back" in log


def test_the_test_environment_limits_no_writes_and_leaves_redis_alone(
    db_url, start_test_server, prefix, product
):
    """JIOKIDZ_ENV=test without WRITE_RATE_PER_MINUTE: more writes than the production burst
    (20) all pass, and the limiter writes nothing to Redis."""
    server = start_test_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "REDIS_URL": REDIS_URL,
            "REDIS_KEY_PREFIX": prefix,
        }
    )
    with api(server) as http:
        user = shopper(http)
        line = add_to_cart(http, user, product).json()["items"][0]["id"]
        answers = [
            http.put(f"/cart/items/{line}", json={"quantity": n % 5 + 1}, headers=user.headers)
            for n in range(25)
        ]
    assert [a.status_code for a in answers] == [200] * 25
    assert redis.Redis().keys(f"{prefix}:writes:*") == []
