"""Refunds over real HTTP (docs/api.md "Refunds"): POST /refunds and GET /refunds/{order_id}, the
refund.processed / refund.failed webhooks, restock, Idempotency-Key, and a gateway that refuses. The
sum of refunds never exceeds the capture; the invariants hold after each story."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import assert_problem
from tests.helpers_cart import make_product, stock
from tests.helpers_orders import (
    buyer,
    order_row,
    pay,
    place_order,
    refund_event,
    send_webhook,
    sent_refund,
    watch_invariants,
)


@pytest.fixture(autouse=True)
def invariants(db):
    """Every test ends with the store's invariants (helpers_orders.Invariants)."""
    yield from watch_invariants(db)


@pytest.fixture
def paid(client, db, category):
    """A buyer with a confirmed order of 2 units at ₹300 (total ₹600, free shipping), 3 units
    in stock before: (buyer, order, product id, gateway payment id)."""
    product = make_product(db, category, price=30000, stock=3)
    user = buyer(client)
    order = place_order(client, user, [(product, 2)])
    result = pay(client, user, order["id"])
    return user, order, product, result["gateway_payment_id"]


def refund(client, user, order_id: int, key: str | None = None, **body):
    headers = {**user.headers, **({"Idempotency-Key": key} if key else {})}
    return client.post(
        "/refunds",
        json={"order_id": order_id, "reason": "Customer request", **body},
        headers=headers,
    )


def gateway_refund_id(db, refund_id: int) -> str:
    return sent_refund(db, refund_id)["gateway_refund_id"]


def test_partial_refunds_up_to_the_capture_and_no_further(invariants, client, db, paid):
    user, order, _, _ = paid
    first = refund(client, user, order["id"], amount=10000)
    assert first.status_code == 201, first.text
    assert {k: first.json()[k] for k in ("order_id", "amount", "status", "reason")} == {
        "order_id": order["id"],
        "amount": 10000,
        "status": "pending",
        "reason": "Customer request",
    }
    over = refund(client, user, order["id"], amount=50001)
    assert "₹500" in assert_problem(over, 422, "refund_amount_exceeds_paid")["detail"]
    rest = refund(client, user, order["id"])  # no amount: the whole remainder
    assert rest.status_code == 201 and rest.json()["amount"] == 50000
    assert_problem(refund(client, user, order["id"], amount=1), 409, "order_not_refundable")
    assert_problem(refund(client, user, order["id"], amount=0), 422, "validation_error")

    listed = client.get(f"/refunds/{order['id']}", headers=user.headers).json()
    assert [r["amount"] for r in listed["items"]] == [10000, 50000]
    assert listed["total_refunded"] == 60000
    assert order_row(db, order["id"])["status"] == "confirmed", "moves when refunds are processed"
    invariants.check()


def test_an_unpaid_order_is_not_refundable(client, db, category):
    product = make_product(db, category, stock=1)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)])
    assert_problem(refund(client, user, order["id"]), 409, "order_not_refundable")
    assert client.get(f"/refunds/{order['id']}", headers=user.headers).json() == {
        "items": [],
        "total_refunded": 0,
    }


def test_another_users_order_is_not_found(client, db, paid):
    user, order, _, _ = paid
    stranger = buyer(client)
    assert_problem(refund(client, stranger, order["id"], amount=100), 404, "order_not_found")
    assert_problem(
        client.get(f"/refunds/{order['id']}", headers=stranger.headers), 404, "order_not_found"
    )
    assert order_row(db, order["id"])["refunded"] == 0


def test_processed_refunds_move_the_order_to_partially_then_fully_refunded(
    invariants, client, db, paid
):
    user, order, _, payment_id = paid
    first = refund(client, user, order["id"], amount=20000).json()
    second = refund(client, user, order["id"]).json()

    def processed(refund_id: int, amount: int) -> str:
        event = refund_event(
            "refund.processed", gateway_refund_id(db, refund_id), payment_id, amount
        )
        answer = send_webhook(client, event)
        assert answer.status_code == 200, answer.text
        return answer.json()["outcome"]

    assert processed(first["id"], 20000) == "refund_processed"
    assert order_row(db, order["id"])["status"] == "partially_refunded"
    assert processed(second["id"], 40000) == "refund_processed"
    assert order_row(db, order["id"])["status"] == "refunded"
    assert processed(second["id"], 40000) == "refund_already_final"
    statuses = [
        r["status"]
        for r in client.get(f"/refunds/{order['id']}", headers=user.headers).json()["items"]
    ]
    assert statuses == ["processed", "processed"]
    invariants.check()


def test_a_failed_refund_gives_its_amount_back(invariants, client, db, paid):
    user, order, _, payment_id = paid
    made = refund(client, user, order["id"]).json()
    event = refund_event("refund.failed", gateway_refund_id(db, made["id"]), payment_id, 60000)

    assert send_webhook(client, event).json()["outcome"] == "refund_failed"

    listed = client.get(f"/refunds/{order['id']}", headers=user.headers).json()
    assert [r["status"] for r in listed["items"]] == ["failed"] and listed["total_refunded"] == 0
    assert order_row(db, order["id"])["status"] == "confirmed"
    again = refund(client, user, order["id"])
    assert again.status_code == 201 and again.json()["amount"] == 60000
    invariants.check()


def test_restock_puts_the_units_back_once(invariants, client, db, paid):
    user, order, product, _ = paid
    assert stock(db, product) == (1, 1)
    assert refund(client, user, order["id"], amount=100, restock=True).status_code == 201
    assert stock(db, product) == (3, 3)
    assert refund(client, user, order["id"], amount=100, restock=True).status_code == 201
    assert stock(db, product) == (3, 3), "the same goods come back once"
    invariants.check()


def test_the_same_idempotency_key_makes_one_refund(client, db, paid):
    user, order, _, _ = paid
    key = str(uuid.uuid4())
    first = refund(client, user, order["id"], key=key, amount=5000)
    again = refund(client, user, order["id"], key=key, amount=5000)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert order_row(db, order["id"])["refunds"] == 1
    assert_problem(
        refund(client, user, order["id"], key=key, amount=6000), 422, "idempotency_key_reused"
    )


def test_a_refund_the_gateway_refuses_fails_and_gives_the_amount_back(invariants, client, db, paid):
    user, order, _, _ = paid
    key = str(uuid.uuid4())
    # The mock declines amounts ending in ₹13.13: the request succeeds, the refund fails after.
    made = refund(client, user, order["id"], key=key, amount=1313)

    assert made.status_code == 201 and made.json()["status"] == "pending", made.text
    assert sent_refund(db, made.json()["id"]) == {"status": "failed", "gateway_refund_id": None}
    listed = client.get(f"/refunds/{order['id']}", headers=user.headers).json()
    assert [(r["amount"], r["status"]) for r in listed["items"]] == [(1313, "failed")]
    assert listed["total_refunded"] == 0 and order_row(db, order["id"])["refunded"] == 0
    # The request succeeded, so the same key replays its answer and makes no second refund.
    assert refund(client, user, order["id"], key=key, amount=1313).json() == made.json()
    assert order_row(db, order["id"])["refunds"] == 1
    assert refund(client, user, order["id"], amount=1000).status_code == 201
    invariants.check()


def test_a_refused_cancellation_refund_shows_and_can_be_refunded_again(
    invariants, client, db, category
):
    product = make_product(db, category, price=150000, stock=1)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)])
    pay(client, user, order["id"])
    assert refund(client, user, order["id"], amount=8687).status_code == 201
    # The cancellation refunds the remainder, 141313, which the mock declines (ends in ₹13.13).
    cancelled = client.post(f"/orders/{order['id']}/cancel", headers=user.headers)

    assert cancelled.status_code == 200, cancelled.text
    [_, remainder] = cancelled.json()["refunds"]
    assert sent_refund(db, remainder["id"])["status"] == "failed"
    assert order_row(db, order["id"])["status"] == "cancelled"
    assert stock(db, product) == (1, 1), "the cancellation itself happened"
    assert [v["rule"] for v in invariants.new()] == ["closed_orders_refunded"], invariants.new()
    # Support refunds the remainder again (in two parts the mock accepts): the books balance.
    for amount in (131000, 10313):
        assert refund(client, user, order["id"], amount=amount).status_code == 201
    invariants.check()
