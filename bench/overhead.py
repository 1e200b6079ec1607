"""The web layer's own CPU per request, for `make bench`: the generated API and the floor
(bench/floor.py) called in this process, through uvicorn's proxy-headers middleware as uvicorn
serves them, with the database call answered at once by a stub. What is left is exactly what
our Python adds around a procedure call (routing, validation, token, logging, the answer), a
figure much less sensitive to the machine's load than throughput over loopback.

    .venv/bin/python -m bench.overhead    (bench/run.py runs it and puts it in results.md)
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass

import uvloop
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

ANSWER = json.dumps({"items": [{"id": n, "name": f"Product {n}"} for n in range(20)]}).encode()
ROUNDS, REQUESTS = 10, 1000


@dataclass(frozen=True)
class Call:
    scenario: str
    method: str
    path: str
    query: bytes = b""
    body: bytes = b""
    user: bool = False


CALLS = [
    Call(
        "products_filter",
        "GET",
        "/api/v1/products",
        b"category_id=7&age_months=60&min_price=20000&max_price=520000&sort=price_asc",
    ),
    Call("products_search", "GET", "/api/v1/products", b"q=wooden"),
    Call("product_detail", "GET", "/api/v1/products/5000"),
    Call("cart_get", "GET", "/api/v1/cart", user=True),
    Call(
        "cart_add",
        "POST",
        "/api/v1/cart/items",
        body=b'{"product_id": 5000, "quantity": 1}',
        user=True,
    ),
    Call("orders_list", "GET", "/api/v1/orders", user=True),
]


class StubPool:
    """Stands in for psycopg's pool: every statement answers ANSWER at once."""

    def connection(self, timeout: float | None = None) -> StubPool:
        return self

    async def __aenter__(self) -> StubPool:
        return self

    async def __aexit__(self, *exc_info) -> None:
        return None

    async def execute(self, query: str, params: dict | None = None) -> StubPool:
        return self

    async def fetchone(self) -> tuple[bytes]:
        return (ANSWER,)


async def per_request(app, call: Call, token: str) -> float:
    """Best of ROUNDS rounds: CPU microseconds per request (process time: other processes'
    load still counts through shared caches and cores, hence the best round)."""
    headers = [(b"host", b"127.0.0.1"), (b"user-agent", b"bench")]
    if call.user:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if call.body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(call.body)).encode()),
        ]
    statuses = []

    async def receive():
        return {"type": "http.request", "body": call.body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    def scope():
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": call.method,
            "scheme": "http",
            "path": call.path,
            "raw_path": call.path.encode(),
            "query_string": call.query,
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }

    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(REQUESTS):
            await app(scope(), receive, send)
        best = min(best, time.process_time() - started)
    if any(status >= 300 for status in statuses):
        raise RuntimeError(f"{call.scenario}: answered {sorted(set(statuses))}")
    return best / REQUESTS * 1e6


def measure(token_for_user_1: str) -> dict[str, tuple[float, float]]:
    """scenario -> (API us, floor us) per request. Run with the servers' environment."""
    from app import logging_setup
    from app.main import create_app
    from bench import floor

    api = create_app()
    api.state.pool = floor.pool = StubPool()
    # The access line is still written, to nowhere, so its cost stays in the figure.
    with open(os.devnull, "w") as devnull:
        logging_setup.handler.setStream(devnull)
        logging.getLogger("psycopg").setLevel(logging.CRITICAL)
        apps = (ProxyHeadersMiddleware(api), ProxyHeadersMiddleware(floor.app))
        return {
            call.scenario: tuple(
                uvloop.run(per_request(app, call, token_for_user_1)) for app in apps
            )
            for call in CALLS
        }


if __name__ == "__main__":
    from bench.run import SERVER_ENV, SERVER_SETTINGS, issue_token

    os.environ.update(SERVER_ENV)
    print(json.dumps(measure(issue_token(SERVER_SETTINGS, 1))))
