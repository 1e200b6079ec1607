"""Helpers for the order, payment and refund tests: a shopper with a cart and an address, the
checkout steps over real HTTP (order, initiate, the client's Razorpay signature, verify),
Razorpay-shaped webhooks signed with the real HMAC, and the invariant check every journey and
race ends with."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg

from app.gateway import payment_signature, razorpay_id, webhook_signature
from app.settings import DEV_SECRETS
from tests.helpers_cart import Shopper, shopper
from tests.helpers_users import ADDRESS

# JIOKIDZ_ENV=test runs on the development secrets (docs/operations.md "Settings").
KEY_SECRET = DEV_SECRETS["RAZORPAY_KEY_SECRET"]
WEBHOOK_SECRET = DEV_SECRETS["RAZORPAY_WEBHOOK_SECRET"]
KEY_ID = DEV_SECRETS["RAZORPAY_KEY_ID"]
ORDER_FIELDS = {
    "id",
    "status",
    "payment_method",
    "items",
    "subtotal",
    "discount",
    "shipping",
    "cod_fee",
    "total",
    "currency",
    "address",
    "payment_due_at",
    "created_at",
}
_events = itertools.count(1)


def violations(db: psycopg.Connection) -> list[dict]:
    """What internal.check_invariants finds wrong across the whole store ([] when all holds)."""
    return db.execute("SELECT internal.check_invariants()").fetchone()[0]


class Invariants:
    """The store's invariants around one test: check() fails on any violation the test added.
    Violations already there when the test began are left out: other suites write rows that
    skip the procedures on purpose (a coupon created used up, an order created delivered)."""

    def __init__(self, db: psycopg.Connection):
        self.db = db
        self.before = violations(db)

    def new(self) -> list[dict]:
        return [v for v in violations(self.db) if v not in self.before]

    def check(self) -> None:
        assert self.new() == [], self.new()


def watch_invariants(db: psycopg.Connection) -> Iterator[Invariants]:
    """The body of each order, payment and refund module's autouse `invariants` fixture: the
    invariants are checked when every test ends, and the test may check them on the way."""
    watch = Invariants(db)
    yield watch
    watch.check()


@dataclass
class Buyer(Shopper):
    """A logged-in shopper with a delivery address."""

    address_id: int = 0


def buyer(client: httpx.Client) -> Buyer:
    user = shopper(client)
    answer = client.post("/users/me/addresses", json=ADDRESS, headers=user.headers)
    assert answer.status_code == 201, answer.text
    return Buyer(user.id, user.token, answer.json()["id"])


def fill_cart(client: httpx.Client, user: Shopper, lines: list[tuple[int, int]]) -> None:
    for product_id, quantity in lines:
        answer = client.post(
            "/cart/items",
            json={"product_id": product_id, "quantity": quantity},
            headers=user.headers,
        )
        assert answer.status_code == 201, answer.text


def place_order(
    client: httpx.Client,
    user: Buyer,
    lines: list[tuple[int, int]],
    *,
    key: str | None = None,
    **body: Any,
) -> dict:
    """Fills the cart with the lines and places the order; returns the 201 body."""
    fill_cart(client, user, lines)
    answer = order_request(client, user, key=key, **body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def order_request(
    client: httpx.Client, user: Buyer, *, key: str | None = None, **body: Any
) -> httpx.Response:
    headers = {**user.headers, **({"Idempotency-Key": key} if key else {})}
    return client.post("/orders", json={"address_id": user.address_id, **body}, headers=headers)


def initiate(client: httpx.Client, user: Shopper, order_id: int, key: str | None = None) -> dict:
    headers = {**user.headers, **({"Idempotency-Key": key} if key else {})}
    answer = client.post("/payments/initiate", json={"order_id": order_id}, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def checkout_result(gateway_order_id: str) -> dict:
    """What Razorpay Checkout hands the client after a successful payment, signed with the key
    secret as Razorpay signs it."""
    payment_id = razorpay_id("pay")
    return {
        "gateway_order_id": gateway_order_id,
        "gateway_payment_id": payment_id,
        "signature": payment_signature(KEY_SECRET, gateway_order_id, payment_id),
    }


def verify_request(client: httpx.Client, user: Shopper, result: dict) -> httpx.Response:
    return client.post("/payments/verify", json=result, headers=user.headers)


def pay(client: httpx.Client, user: Shopper, order_id: int) -> dict:
    """Initiates and verifies a payment; returns the checkout result (gateway ids) used."""
    result = checkout_result(initiate(client, user, order_id)["gateway_order_id"])
    answer = verify_request(client, user, result)
    assert answer.status_code == 200, answer.text
    assert answer.json()["order_status"] == "confirmed", answer.json()
    return result


def payment_event(
    event: str,
    gateway_order_id: str,
    gateway_payment_id: str,
    amount: int,
    currency: str = "INR",
    **entity: Any,
) -> dict:
    """A Razorpay payment.captured / payment.failed event body."""
    return {
        "entity": "event",
        "account_id": "acc_BFQ7uQEaa7j2z7",
        "event": event,
        "contains": ["payment"],
        "payload": {
            "payment": {
                "entity": {
                    "id": gateway_payment_id,
                    "entity": "payment",
                    "amount": amount,
                    "currency": currency,
                    "status": "captured" if event == "payment.captured" else "failed",
                    "order_id": gateway_order_id,
                    "method": "upi",
                    "captured": event == "payment.captured",
                    **entity,
                }
            }
        },
        "created_at": 1700000000,
    }


def refund_event(event: str, gateway_refund_id: str, gateway_payment_id: str, amount: int) -> dict:
    """A Razorpay refund.processed / refund.failed event body."""
    return {
        "entity": "event",
        "event": event,
        "contains": ["refund", "payment"],
        "payload": {
            "refund": {
                "entity": {
                    "id": gateway_refund_id,
                    "entity": "refund",
                    "amount": amount,
                    "currency": "INR",
                    "payment_id": gateway_payment_id,
                    "status": "processed" if event == "refund.processed" else "failed",
                }
            }
        },
        "created_at": 1700000100,
    }


def sent_refund(db: psycopg.Connection, refund_id: int, timeout: float = 15) -> dict:
    """The refund once the worker's refunds consumer has handled it (the session's worker,
    tests/conftest.py): {"status", "gateway_refund_id"}, the id set when the gateway took it,
    the status failed when it refused."""
    deadline = time.monotonic() + timeout
    while True:
        status, gateway_id = db.execute(
            "SELECT status, gateway_refund_id FROM store.refunds WHERE id = %s", (refund_id,)
        ).fetchone()
        if gateway_id is not None or status != "pending":
            return {"status": status, "gateway_refund_id": gateway_id}
        assert time.monotonic() < deadline, f"refund {refund_id} was not sent to the gateway"
        time.sleep(0.02)


def worker_done_with(db: psycopg.Connection, user_id: int, timeout: float = 15) -> None:
    """Waits until the worker has nothing left to do to the user's rows: every event of theirs
    published, every refund of theirs taken by the gateway or final."""
    deadline = time.monotonic() + timeout
    while db.execute(
        "SELECT EXISTS (SELECT FROM store.outbox_events WHERE user_id = %(u)s"
        " AND published_at IS NULL) OR EXISTS (SELECT FROM store.refunds WHERE user_id = %(u)s"
        " AND status = 'pending' AND gateway_refund_id IS NULL)",
        {"u": user_id},
    ).fetchone()[0]:
        assert time.monotonic() < deadline, f"the worker is not done with user {user_id}"
        time.sleep(0.02)


def new_event_id() -> str:
    return f"evt_test{next(_events):010d}"


def signed_webhook(body: dict, event_id: str | None = None) -> tuple[bytes, dict[str, str]]:
    """The raw bytes of an event and the headers Razorpay sends with it."""
    raw = json.dumps(body, separators=(",", ":")).encode()
    return raw, {
        "Content-Type": "application/json",
        "X-Razorpay-Signature": webhook_signature(WEBHOOK_SECRET, raw),
        "X-Razorpay-Event-Id": event_id or new_event_id(),
    }


def send_webhook(client: httpx.Client, body: dict, event_id: str | None = None) -> httpx.Response:
    raw, headers = signed_webhook(body, event_id)
    return client.post("/payments/webhook", content=raw, headers=headers)


def order_row(db: psycopg.Connection, order_id: int) -> dict:
    """The stored order, payment and refund figures of an order."""
    row = db.execute(
        """
        SELECT o.status, p.status, p.amount_captured, p.amount_refunded,
               (SELECT count(*) FROM store.refunds AS r WHERE r.order_id = o.id),
               (SELECT count(*) FROM store.payment_attempts AS a
                WHERE a.payment_id = p.id AND a.status = 'captured'),
               (SELECT count(*) FROM store.order_status_history AS h
                WHERE h.order_id = o.id AND h.to_status = 'confirmed')
        FROM store.orders AS o
        LEFT JOIN store.payments AS p ON p.user_id = o.user_id AND p.order_id = o.id
        WHERE o.id = %s
        """,
        (order_id,),
    ).fetchone()
    keys = (
        "status",
        "payment_status",
        "captured",
        "refunded",
        "refunds",
        "captured_attempts",
        "confirmations",
    )
    return dict(zip(keys, row, strict=True))
