"""Payments over real HTTP (docs/api.md "Payments"): POST /payments/initiate, POST /payments/verify
with Razorpay's checkout signature, POST /payments/webhook with the webhook signature over the raw
body, GET /payments/{order_id}. Signatures are real HMACs; the gateway is the offline mock. Each
story ends with the store's invariants."""

from __future__ import annotations

import uuid

import pytest

from app.gateway import payment_signature, razorpay_id, webhook_signature
from tests.conftest import assert_problem
from tests.helpers_cart import make_product, stock
from tests.helpers_orders import (
    KEY_SECRET,
    buyer,
    checkout_result,
    initiate,
    order_row,
    pay,
    payment_event,
    place_order,
    send_webhook,
    sent_refund,
    signed_webhook,
    verify_request,
    watch_invariants,
)


@pytest.fixture(autouse=True)
def invariants(db):
    """Every test ends with the store's invariants (helpers_orders.Invariants)."""
    yield from watch_invariants(db)


@pytest.fixture
def unpaid(client, db, category):
    """A buyer with an unpaid order of 2 units of a product with 3 in stock:
    (buyer, order, product id)."""
    product = make_product(db, category, price=30000, stock=3)
    user = buyer(client)
    return user, place_order(client, user, [(product, 2)]), product


def webhook_count(db) -> int:
    return db.execute("SELECT count(*) FROM store.webhook_events").fetchone()[0]


# --- POST /payments/initiate ------------------------------------------------------------------


def test_initiating_again_answers_the_same_gateway_order(client, db, unpaid):
    user, order, _ = unpaid
    first = initiate(client, user, order["id"])
    second = initiate(client, user, order["id"])

    assert first == second
    assert first["amount"] == order["total"] == 60000
    assert db.execute(
        "SELECT count(*) FROM store.payments WHERE order_id = %s", (order["id"],)
    ).fetchone() == (1,)


def test_an_idempotency_key_replays_the_final_answer(client, db, unpaid):
    user, order, _ = unpaid
    key = str(uuid.uuid4())
    first = initiate(client, user, order["id"], key=key)
    assert initiate(client, user, order["id"], key=key) == first
    other = place_order(client, user, [(unpaid[2], 1)])
    reused = client.post(
        "/payments/initiate",
        json={"order_id": other["id"]},
        headers={**user.headers, "Idempotency-Key": key},
    )
    assert_problem(reused, 422, "idempotency_key_reused")
    stored = db.execute(
        "SELECT response FROM store.idempotency_keys WHERE user_id = %s AND key = %s",
        (user.id, key),
    ).fetchone()[0]
    assert stored == first, "the answer stored is the one after the gateway step"


def test_only_an_unpaid_order_of_your_own_in_its_window_can_be_paid(client, db, unpaid):
    user, order, _ = unpaid
    stranger = buyer(client)
    answer = client.post(
        "/payments/initiate", json={"order_id": order["id"]}, headers=stranger.headers
    )
    assert_problem(answer, 404, "order_not_found")

    db.execute(
        "UPDATE store.orders SET payment_due_at = now() - interval '1 second' WHERE id = %s",
        (order["id"],),
    )
    answer = client.post("/payments/initiate", json={"order_id": order["id"]}, headers=user.headers)
    assert "payment window" in assert_problem(answer, 409, "order_not_payable")["detail"]


def test_a_gateway_refusal_answers_502_and_stores_nothing(client, db, category):
    # The mock declines amounts ending in ₹13.13; free shipping keeps the total at the price.
    product = make_product(db, category, price=131313, stock=1)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)])
    answer = client.post("/payments/initiate", json={"order_id": order["id"]}, headers=user.headers)

    assert_problem(answer, 502, "payment_gateway_error")
    assert order_row(db, order["id"])["payment_status"] is None


# --- POST /payments/verify --------------------------------------------------------------------


def test_verify_captures_once_and_sells_the_stock(invariants, client, db, unpaid):
    user, order, product = unpaid
    result = checkout_result(initiate(client, user, order["id"])["gateway_order_id"])

    first = verify_request(client, user, result)
    again = verify_request(client, user, result)

    assert first.status_code == 200 and again.status_code == 200, (first.text, again.text)
    assert first.json() == again.json()
    assert first.json()["status"] == "captured" and first.json()["order_status"] == "confirmed"
    assert stock(db, product) == (1, 1), "two units sold, once"
    assert order_row(db, order["id"]) == {
        "status": "confirmed",
        "payment_status": "captured",
        "captured": 60000,
        "refunded": 0,
        "refunds": 0,
        "captured_attempts": 1,
        "confirmations": 1,
    }
    invariants.check()


def test_a_bad_signature_leaves_the_order_pending(client, db, unpaid):
    user, order, product = unpaid
    gateway_order_id = initiate(client, user, order["id"])["gateway_order_id"]
    payment_id = razorpay_id("pay")
    forgeries = [
        payment_signature("not_the_key_secret", gateway_order_id, payment_id),
        payment_signature(
            KEY_SECRET, "order_SomeoneElses01", payment_id
        ),  # signed for another order
        payment_signature(KEY_SECRET, gateway_order_id, payment_id).upper(),
        "",
    ]
    for signature in forgeries:
        answer = verify_request(
            client,
            user,
            {
                "gateway_order_id": gateway_order_id,
                "gateway_payment_id": payment_id,
                "signature": signature,
            },
        )
        assert_problem(answer, 400, "invalid_signature")

    assert order_row(db, order["id"])["status"] == "pending_payment"
    assert order_row(db, order["id"])["payment_status"] == "created"
    assert stock(db, product) == (3, 1), "still reserved, nothing sold"
    attempts = client.get(f"/payments/{order['id']}", headers=user.headers).json()["attempts"]
    assert [(a["source"], a["status"], a["error_code"]) for a in attempts] == [
        ("initiate", "created", None)
    ] + [("verify", "rejected", "invalid_signature")] * len(forgeries)


def test_another_users_payment_is_not_found(client, db, unpaid):
    user, order, _ = unpaid
    stranger = buyer(client)
    result = checkout_result(initiate(client, user, order["id"])["gateway_order_id"])

    assert_problem(verify_request(client, stranger, result), 404, "payment_not_found")
    assert_problem(
        client.get(f"/payments/{order['id']}", headers=stranger.headers), 404, "payment_not_found"
    )
    assert order_row(db, order["id"])["status"] == "pending_payment"
    fresh = place_order(client, user, [(unpaid[2], 1)])
    assert_problem(
        client.get(f"/payments/{fresh['id']}", headers=user.headers), 404, "payment_not_found"
    )


# --- POST /payments/webhook -------------------------------------------------------------------


def test_a_webhook_with_a_bad_or_missing_signature_is_refused_and_not_recorded(client, db, unpaid):
    user, order, _ = unpaid
    gateway_order_id = initiate(client, user, order["id"])["gateway_order_id"]
    body = payment_event("payment.captured", gateway_order_id, razorpay_id("pay"), order["total"])
    raw, headers = signed_webhook(body)
    before = webhook_count(db)

    tampered = raw.replace(b'"amount":60000', b'"amount":60001')
    assert_problem(
        client.post("/payments/webhook", content=tampered, headers=headers),
        400,
        "invalid_signature",
    )
    wrong_key = {**headers, "X-Razorpay-Signature": webhook_signature("other_secret", raw)}
    assert_problem(
        client.post("/payments/webhook", content=raw, headers=wrong_key), 400, "invalid_signature"
    )
    unsigned = {k: v for k, v in headers.items() if k != "X-Razorpay-Signature"}
    assert_problem(
        client.post("/payments/webhook", content=raw, headers=unsigned), 400, "invalid_signature"
    )
    # Re-serialising the body (other spacing) breaks the signature: it covers the raw bytes.
    respaced = raw.replace(b",", b", ")
    assert_problem(
        client.post("/payments/webhook", content=respaced, headers=headers),
        400,
        "invalid_signature",
    )

    assert webhook_count(db) == before
    assert order_row(db, order["id"])["status"] == "pending_payment"


def test_a_captured_webhook_confirms_and_a_duplicate_changes_nothing(
    invariants, client, db, unpaid
):
    user, order, product = unpaid
    gateway_order_id = initiate(client, user, order["id"])["gateway_order_id"]
    body = payment_event("payment.captured", gateway_order_id, razorpay_id("pay"), order["total"])
    raw, headers = signed_webhook(body)

    first = client.post("/payments/webhook", content=raw, headers=headers)
    again = client.post("/payments/webhook", content=raw, headers=headers)

    assert first.status_code == 200 and first.json()["status"] == "processed"
    assert first.json()["outcome"] == "captured"
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert order_row(db, order["id"])["status"] == "confirmed"
    assert stock(db, product) == (1, 1)
    history = db.execute(
        "SELECT actor FROM store.order_status_history WHERE order_id = %s", (order["id"],)
    ).fetchall()
    assert history == [("gateway",)]
    # The same capture reported again under a new event id changes nothing either.
    again = send_webhook(client, body)
    assert again.json()["outcome"] == "already_captured"
    assert order_row(db, order["id"])["captured_attempts"] == 1
    invariants.check()


def test_a_signed_webhook_holding_a_nul_escape_is_recorded_and_handled(
    invariants, client, db, unpaid
):
    """jsonb cannot hold U+0000, but a signed event must never be refused: Razorpay would
    redeliver it for 24 hours. It is stored with U+FFFD in place of each NUL."""
    user, order, _ = unpaid
    gateway_order_id = initiate(client, user, order["id"])["gateway_order_id"]
    body = payment_event("payment.captured", gateway_order_id, razorpay_id("pay"), order["total"])
    body["payload"]["payment"]["entity"]["description"] = "gift\x00wrap"
    raw, headers = signed_webhook(body)
    assert b"\\u0000" in raw

    answer = client.post("/payments/webhook", content=raw, headers=headers)

    assert answer.status_code == 200, answer.text
    assert answer.json()["outcome"] == "captured"
    assert order_row(db, order["id"])["status"] == "confirmed"
    stored = db.execute(
        "SELECT payload #>> '{payload,payment,entity,description}' FROM store.webhook_events"
        " WHERE event_id = %s",
        (headers["X-Razorpay-Event-Id"],),
    ).fetchone()
    assert stored == ("gift\ufffdwrap",)
    invariants.check()


def test_a_failure_after_the_capture_never_downgrades(invariants, client, db, unpaid):
    user, order, _ = unpaid
    result = pay(client, user, order["id"])
    failed = payment_event(
        "payment.failed",
        result["gateway_order_id"],
        razorpay_id("pay"),
        order["total"],
        error_code="BAD_REQUEST_ERROR",
        error_description="Payment failed",
    )

    answer = send_webhook(client, failed)

    assert answer.status_code == 200 and answer.json()["outcome"] == "failed_after_capture"
    row = order_row(db, order["id"])
    assert (row["status"], row["payment_status"]) == ("confirmed", "captured")
    attempts = client.get(f"/payments/{order['id']}", headers=user.headers).json()["attempts"]
    assert attempts[-1]["status"] == "failed" and attempts[-1]["error_code"] == "BAD_REQUEST_ERROR"
    invariants.check()


def test_a_failed_payment_can_be_retried_until_the_window_closes(invariants, client, db, unpaid):
    user, order, _ = unpaid
    checkout = initiate(client, user, order["id"])
    failed = payment_event(
        "payment.failed", checkout["gateway_order_id"], razorpay_id("pay"), order["total"]
    )
    assert send_webhook(client, failed).json()["outcome"] == "payment_failed"
    row = order_row(db, order["id"])
    assert (row["status"], row["payment_status"]) == ("pending_payment", "failed")

    retry = initiate(client, user, order["id"])
    assert (
        retry["gateway_order_id"] == checkout["gateway_order_id"] and retry["status"] == "created"
    )
    verified = verify_request(client, user, checkout_result(checkout["gateway_order_id"]))
    assert verified.json()["order_status"] == "confirmed"
    invariants.check()


def test_a_capture_of_the_wrong_amount_is_rejected_but_answered_200(
    invariants, client, db, unpaid, server
):
    user, order, product = unpaid
    gateway_order_id = initiate(client, user, order["id"])["gateway_order_id"]
    for amount, currency in ((order["total"] - 100, "INR"), (order["total"], "USD")):
        body = payment_event(
            "payment.captured", gateway_order_id, razorpay_id("pay"), amount, currency
        )
        answer = send_webhook(client, body)
        assert answer.status_code == 200, answer.text
        assert answer.json()["outcome"] == "amount_mismatch"

    row = order_row(db, order["id"])
    assert (row["status"], row["payment_status"], row["captured"]) == (
        "pending_payment",
        "created",
        0,
    )
    assert stock(db, product) == (3, 1)
    attempts = client.get(f"/payments/{order['id']}", headers=user.headers).json()["attempts"]
    assert [a["status"] for a in attempts] == ["created", "rejected", "rejected"]
    assert "needs attention: amount_mismatch" in server.log()
    invariants.check()


def test_a_capture_after_cancellation_is_refunded_and_sells_nothing(invariants, client, db, unpaid):
    user, order, product = unpaid
    checkout = initiate(client, user, order["id"])
    assert client.post(f"/orders/{order['id']}/cancel", headers=user.headers).status_code == 200
    assert stock(db, product) == (3, 3)

    body = payment_event(
        "payment.captured", checkout["gateway_order_id"], razorpay_id("pay"), order["total"]
    )
    answer = send_webhook(client, body)

    assert answer.status_code == 200 and answer.json()["outcome"] == "late_capture_refunded"
    assert order_row(db, order["id"]) | {} == {
        "status": "cancelled",
        "payment_status": "captured",
        "captured": 60000,
        "refunded": 60000,
        "refunds": 1,
        "captured_attempts": 1,
        "confirmations": 0,
    }
    assert stock(db, product) == (3, 3), "nothing sold"
    refund = client.get(f"/refunds/{order['id']}", headers=user.headers).json()["items"][0]
    assert (refund["amount"], refund["status"]) == (60000, "pending")
    assert sent_refund(db, refund["id"])["gateway_refund_id"].startswith("rfnd_"), (
        "sent to the gateway by the worker"
    )
    invariants.check()


def test_a_late_verify_for_an_expired_order_is_refunded(invariants, client, db, unpaid):
    user, order, product = unpaid
    checkout = initiate(client, user, order["id"])
    db.execute(
        "UPDATE store.orders SET payment_due_at = now() - interval '1 second' WHERE id = %s",
        (order["id"],),
    )
    db.execute("SELECT api.sweep()")
    assert order_row(db, order["id"])["status"] == "expired"

    answer = verify_request(client, user, checkout_result(checkout["gateway_order_id"]))

    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "captured" and answer.json()["order_status"] == "expired"
    row = order_row(db, order["id"])
    assert (row["status"], row["refunded"]) == ("expired", 60000)
    assert stock(db, product) == (3, 3)
    invariants.check()


def test_a_capture_after_the_window_is_honoured_while_the_stock_is_there(
    invariants, client, db, category
):
    product = make_product(db, category, price=30000, stock=1)
    late, early = buyer(client), buyer(client)
    order = place_order(client, late, [(product, 1)])
    checkout = initiate(client, late, order["id"])
    db.execute(
        "UPDATE store.inventory_locks SET expires_at = now() - interval '1 second' "
        "WHERE order_id = %s",
        (order["id"],),
    )
    # Not swept yet, and nobody took the unit: the payment is honoured.
    verified = verify_request(client, late, checkout_result(checkout["gateway_order_id"]))
    assert verified.json()["order_status"] == "confirmed"
    assert stock(db, product) == (0, 0)

    # The same, but another buyer took the unit meanwhile: expired and refunded.
    db.execute("UPDATE store.inventory SET on_hand = 1 WHERE product_id = %s", (product,))
    second = place_order(client, late, [(product, 1)])
    checkout = initiate(client, late, second["id"])
    db.execute(
        "UPDATE store.inventory_locks SET expires_at = now() - interval '1 second' "
        "WHERE order_id = %s",
        (second["id"],),
    )
    place_order(client, early, [(product, 1)])
    verified = verify_request(client, late, checkout_result(checkout["gateway_order_id"]))
    assert verified.json()["order_status"] == "expired"
    assert order_row(db, second["id"])["refunded"] == second["total"] == 34000
    assert stock(db, product) == (1, 0), "the other buyer keeps the unit"
    invariants.check()


def test_an_event_for_a_payment_we_do_not_know_is_recorded_and_ignored(client, db):
    body = payment_event("payment.captured", "order_NotOursAtAll01", razorpay_id("pay"), 5000)
    answer = send_webhook(client, body)
    assert answer.status_code == 200 and answer.json()["outcome"] == "unknown_payment"
    other = send_webhook(client, {"event": "payment.authorized", "payload": {}})
    assert other.status_code == 200 and other.json()["outcome"] == "ignored"
