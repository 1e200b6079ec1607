"""Checkout under contention, over real HTTP against one server: requests for the same order are
fired at the same moment with asyncio, so they reach PostgreSQL on different pool connections
together. Nothing is retried by the test: every answer a client would see is counted, and the
store's invariants hold after each race. Each scenario reports its figures (tests/reliability.py):
requests sent, by status class, and the invariant violations it left (none)."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import API, assert_problem
from tests.helpers_cart import make_coupon, make_product, stock
from tests.helpers_orders import (
    buyer,
    checkout_result,
    fill_cart,
    initiate,
    order_row,
    pay,
    payment_event,
    place_order,
    signed_webhook,
    watch_invariants,
)
from tests.reliability import Tally, report

ROUNDS = 5


@pytest.fixture(autouse=True)
def invariants(db):
    """Every race ends with the store's invariants (helpers_orders.Invariants)."""
    yield from watch_invariants(db)


Request = Callable[[httpx.AsyncClient], Coroutine[Any, Any, httpx.Response]]


def at_once(server, requests: list[Request]) -> list[httpx.Response]:
    """Sends every request at the same moment, each on its own HTTP connection."""

    async def run() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=len(requests))
        async with httpx.AsyncClient(
            base_url=server.base_url + API, timeout=30, limits=limits
        ) as http:
            return await asyncio.gather(*(request(http) for request in requests))

    return asyncio.run(run())


def post(path: str, headers: dict[str, str], **kwargs: Any) -> Request:
    return lambda http: http.post(path, headers=headers, **kwargs)


def finish(scenario: str, tally: Tally, invariants) -> None:
    """The scenario's report line; then its invariant violations must be none."""
    found = invariants.new()
    report(scenario, tally, violations=len(found))
    assert found == [], found


def test_buyers_racing_for_the_last_units_at_checkout(server, client, db, category, invariants):
    """Twelve buyers place orders for the last three units at the same moment: three orders,
    nine insufficient_stock, then the three pay at once and every unit is sold exactly once."""
    tally = Tally()
    for _ in range(3):
        product = make_product(db, category, price=45000, stock=3)
        buyers = [buyer(client) for _ in range(12)]
        for user in buyers:
            fill_cart(client, user, [(product, 1)])

        answers = tally.responses(
            at_once(
                server,
                [post("/orders", u.headers, json={"address_id": u.address_id}) for u in buyers],
            )
        )

        assert Counter(a.status_code for a in answers) == {201: 3, 409: 9}, [
            a.text for a in answers
        ]
        for answer in answers:
            if answer.status_code == 409:
                assert_problem(answer, 409, "insufficient_stock")
        assert stock(db, product) == (3, 0)
        winners = [u for u, a in zip(buyers, answers, strict=True) if a.status_code == 201]
        orders = [a.json()["id"] for a in answers if a.status_code == 201]
        results = [
            checkout_result(initiate(client, user, order)["gateway_order_id"])
            for user, order in zip(winners, orders, strict=True)
        ]
        paid = tally.responses(
            at_once(
                server,
                [
                    post("/payments/verify", user.headers, json=result)
                    for user, result in zip(winners, results, strict=True)
                ],
            )
        )
        assert {a.json()["order_status"] for a in paid} == {"confirmed"}
        assert stock(db, product) == (0, 0), "three units sold once each, none oversold"
    finish("race: 12 buyers, last 3 units", tally, invariants)


def test_buyers_racing_for_a_coupon_with_few_uses_left(server, client, db, category, invariants):
    """Ten buyers order with a three-use coupon at the same moment: three orders get the
    discount, seven are refused with coupon_usage_limit_reached, and the coupon counts three."""
    tally = Tally()
    for _ in range(3):
        coupon_id, code = make_coupon(db, usage_limit=3)
        product = make_product(db, category, price=60000, stock=20)
        buyers = [buyer(client) for _ in range(10)]
        for user in buyers:
            fill_cart(client, user, [(product, 1)])
        body = {"coupon_code": code}

        answers = tally.responses(
            at_once(
                server,
                [
                    post("/orders", u.headers, json={"address_id": u.address_id, **body})
                    for u in buyers
                ],
            )
        )

        assert Counter(a.status_code for a in answers) == {201: 3, 422: 7}, [
            a.text for a in answers
        ]
        assert {a.json()["discount"] for a in answers if a.status_code == 201} == {5000}
        for answer in answers:
            if answer.status_code == 422:
                assert_problem(answer, 422, "coupon_usage_limit_reached")
        assert db.execute(
            "SELECT used_count FROM store.coupons WHERE id = %s", (coupon_id,)
        ).fetchone() == (3,)
        assert stock(db, product) == (20, 17), "only the three orders hold units"
    finish("race: 10 buyers, coupon with 3 uses", tally, invariants)


def test_verify_and_webhooks_for_one_payment_capture_it_once(
    server, client, db, category, invariants
):
    """The client's callback twice, the payment.captured webhook and its redelivery: one
    capture, one sale, one confirmation, every time."""
    tally = Tally()
    for _ in range(ROUNDS):
        product = make_product(db, category, price=45000, stock=2)
        user = buyer(client)
        order = place_order(client, user, [(product, 2)])
        result = checkout_result(initiate(client, user, order["id"])["gateway_order_id"])
        event = payment_event(
            "payment.captured",
            result["gateway_order_id"],
            result["gateway_payment_id"],
            order["total"],
        )
        raw, headers = signed_webhook(event)
        _, other_delivery = signed_webhook(event)  # the same capture under another event id

        answers = at_once(
            server,
            [
                post("/payments/verify", user.headers, json=result),
                post("/payments/verify", user.headers, json=result),
                post("/payments/webhook", headers, content=raw),
                post("/payments/webhook", headers, content=raw),
                post("/payments/webhook", other_delivery, content=raw),
            ],
        )
        tally.responses(answers)

        assert [a.status_code for a in answers] == [200] * 5, [a.text for a in answers]
        assert {a.json()["order_status"] for a in answers[:2]} == {"confirmed"}
        # A duplicate repeats the first delivery's outcome; count what each event did once.
        outcomes = Counter(
            a.json()["outcome"] for a in answers[2:] if a.json()["status"] == "processed"
        )
        assert outcomes["captured"] <= 1 and sum(outcomes.values()) == 2, outcomes
        assert Counter(a.json()["status"] for a in answers[2:4]) == {"processed": 1, "duplicate": 1}
        assert order_row(db, order["id"]) == {
            "status": "confirmed",
            "payment_status": "captured",
            "captured": order["total"],
            "refunded": 0,
            "refunds": 0,
            "captured_attempts": 1,
            "confirmations": 1,
        }
        assert stock(db, product) == (0, 0), "two units sold once, not four"
    finish("race: verify x2 + webhook x3, 1 payment", tally, invariants)


def test_concurrent_refunds_never_exceed_the_capture(server, client, db, category, invariants):
    tally = Tally()
    for _ in range(ROUNDS):
        product = make_product(db, category, price=50000, stock=1)
        user = buyer(client)
        order = place_order(client, user, [(product, 1)])
        pay(client, user, order["id"])

        answers = at_once(
            server,
            [
                post(
                    "/refunds",
                    user.headers,
                    json={"order_id": order["id"], "amount": 20000, "reason": f"Claim {n}"},
                )
                for n in range(8)
            ],
        )
        tally.responses(answers)

        assert Counter(a.status_code for a in answers) == {201: 2, 422: 6}, [
            a.text for a in answers
        ]
        assert {a.json()["code"] for a in answers if a.status_code == 422} == {
            "refund_amount_exceeds_paid"
        }
        row = order_row(db, order["id"])
        assert (row["refunded"], row["refunds"]) == (40000, 2)
    finish("race: 8 refunds of 40% at once", tally, invariants)


def test_the_same_idempotency_key_at_once_places_one_order(
    server, client, db, category, invariants
):
    tally = Tally()
    for _ in range(ROUNDS):
        product = make_product(db, category, price=20000, stock=5)
        user = buyer(client)
        fill_cart(client, user, [(product, 1)])
        headers = {**user.headers, "Idempotency-Key": str(uuid.uuid4())}
        body = {"address_id": user.address_id}

        answers = at_once(server, [post("/orders", headers, json=body) for _ in range(6)])
        tally.responses(answers)

        codes = Counter(a.status_code for a in answers)
        assert set(codes) <= {201, 409} and codes[201] >= 1, [a.text for a in answers]
        assert {a.json()["code"] for a in answers if a.status_code == 409} <= {
            "idempotency_key_in_use"
        }
        assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1
        assert db.execute(
            "SELECT count(*) FROM store.orders WHERE user_id = %s", (user.id,)
        ).fetchone() == (1,)
        assert stock(db, product) == (5, 4), "one unit reserved, once"
    finish("race: 6 orders, one Idempotency-Key", tally, invariants)


def test_orders_without_a_key_at_once_empty_the_cart_once(server, client, db, category, invariants):
    tally = Tally()
    product = make_product(db, category, price=20000, stock=5)
    user = buyer(client)
    fill_cart(client, user, [(product, 2)])
    body = {"address_id": user.address_id}

    answers = at_once(server, [post("/orders", user.headers, json=body) for _ in range(5)])
    tally.responses(answers)

    assert Counter(a.status_code for a in answers) == {201: 1, 409: 4}
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"cart_empty"}
    assert stock(db, product) == (5, 3)
    finish("race: 5 orders from one cart", tally, invariants)


def test_concurrent_initiates_make_one_payment(server, client, db, category, invariants):
    tally = Tally()
    for _ in range(ROUNDS):
        product = make_product(db, category, price=20000, stock=1)
        user = buyer(client)
        order = place_order(client, user, [(product, 1)])
        body = {"order_id": order["id"]}

        answers = at_once(
            server, [post("/payments/initiate", user.headers, json=body) for _ in range(4)]
        )
        tally.responses(answers)

        assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
        assert len({a.json()["gateway_order_id"] for a in answers}) == 1
        assert db.execute(
            "SELECT count(*) FROM store.payments WHERE order_id = %s", (order["id"],)
        ).fetchone() == (1,)
    finish("race: 4 initiates, one order", tally, invariants)


def test_payments_at_once_take_consecutive_invoice_numbers(
    server, client, db, category, invariants
):
    """Sixteen buyers' payments are verified at the same moment, on sixteen connections: each
    confirmed order has one invoice, and the numbers they took are exactly the next sixteen of
    the financial year's series, none twice, none skipped (the counter row's lock,
    docs/dba.md "Invoices")."""
    tally = Tally()
    for _ in range(2):
        buyers = [buyer(client) for _ in range(16)]
        product = make_product(db, category, price=20000, stock=len(buyers))
        orders = [place_order(client, user, [(product, 1)])["id"] for user in buyers]
        results = [
            checkout_result(initiate(client, user, order)["gateway_order_id"])
            for user, order in zip(buyers, orders, strict=True)
        ]
        year, before = db.execute(
            "SELECT internal.financial_year(now()), coalesce((SELECT last_number"
            " FROM store.document_counters WHERE series = 'invoice'"
            " AND financial_year = internal.financial_year(now())), 0)"
        ).fetchone()

        answers = tally.responses(
            at_once(
                server,
                [
                    post("/payments/verify", user.headers, json=result)
                    for user, result in zip(buyers, results, strict=True)
                ],
            )
        )

        statuses = {a.json()["order_status"] for a in answers}
        assert statuses == {"confirmed"}, [a.text for a in answers]
        numbers = db.execute(
            "SELECT financial_year, sequence_number, number FROM store.invoices"
            " WHERE order_id = ANY(%s) ORDER BY sequence_number",
            (orders,),
        ).fetchall()
        assert len(numbers) == len(orders), "one invoice per confirmed order"
        assert {row[0] for row in numbers} == {year}
        assert [row[1] for row in numbers] == list(range(before + 1, before + len(orders) + 1))
        assert len({row[2] for row in numbers}) == len(orders)
    finish("race: 16 payments at once, invoice numbers", tally, invariants)


def test_a_cancellation_racing_the_capture_refunds_and_restocks(
    server, client, db, category, invariants
):
    """Whichever comes first, the order ends cancelled, the capture refunded in full once, and
    the stock back where it was."""
    tally = Tally()
    for _ in range(ROUNDS):
        product = make_product(db, category, price=35000, stock=3)
        user = buyer(client)
        order = place_order(client, user, [(product, 2)])
        result = checkout_result(initiate(client, user, order["id"])["gateway_order_id"])
        event = payment_event(
            "payment.captured",
            result["gateway_order_id"],
            result["gateway_payment_id"],
            order["total"],
        )
        raw, headers = signed_webhook(event)

        answers = at_once(
            server,
            [
                post(f"/orders/{order['id']}/cancel", user.headers),
                post("/payments/verify", user.headers, json=result),
                post("/payments/webhook", headers, content=raw),
            ],
        )
        tally.responses(answers)

        assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
        row = order_row(db, order["id"])
        assert (row["status"], row["captured"], row["refunded"], row["refunds"]) == (
            "cancelled",
            order["total"],
            order["total"],
            1,
        )
        assert row["captured_attempts"] == 1
        assert stock(db, product) == (3, 3)
    finish("race: cancel vs verify vs webhook", tally, invariants)


async def verify_while_sweeping(server, db_url: str, result: dict, headers: dict) -> httpx.Response:
    """POST /payments/verify and api.sweep() (as cron runs it) at the same moment."""

    async def sweep() -> None:
        async with await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn:
            await conn.execute("SELECT api.sweep()")

    async with httpx.AsyncClient(base_url=server.base_url + API, timeout=30) as http:
        verified, _ = await asyncio.gather(
            http.post("/payments/verify", json=result, headers=headers), sweep()
        )
    return verified


def test_the_sweeper_racing_a_late_capture(server, client, db, db_url, category, invariants):
    """An order past its window is captured while the sweeper runs: it ends either confirmed
    (the capture came first and the units were still there) or expired and refunded."""
    endings = Counter()
    tally = Tally()
    for _ in range(ROUNDS):
        product = make_product(db, category, price=35000, stock=1)
        user = buyer(client)
        order = place_order(client, user, [(product, 1)])
        result = checkout_result(initiate(client, user, order["id"])["gateway_order_id"])
        db.execute(
            "UPDATE store.orders SET payment_due_at = now() - interval '1 second' WHERE id = %s",
            (order["id"],),
        )

        verified = asyncio.run(verify_while_sweeping(server, db_url, result, user.headers))
        tally.count(verified.status_code)

        assert verified.status_code == 200, verified.text
        row = order_row(db, order["id"])
        assert row["status"] == verified.json()["order_status"]
        assert (row["status"], row["refunded"]) in {
            ("confirmed", 0),
            ("expired", order["total"]),
        }, row
        endings[row["status"]] += 1
        assert stock(db, product) == ((0, 0) if row["status"] == "confirmed" else (1, 1))
    assert sum(endings.values()) == ROUNDS
    finish("race: late capture vs sweeper", tally, invariants)
