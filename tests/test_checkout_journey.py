"""The whole checkout over real HTTP, as a client app and Razorpay drive it: log in, fill the
cart, add an address, apply a coupon, place the order, initiate the payment, verify Checkout's
signature, read the order and the payment, refund part of it and receive the refund webhook.
Every step checks the money and the stock, and the store's invariants hold at the end."""

from __future__ import annotations

import pytest

from tests.helpers_cart import make_coupon, make_product, stock
from tests.helpers_orders import (
    KEY_ID,
    ORDER_FIELDS,
    buyer,
    checkout_result,
    fill_cart,
    order_request,
    order_row,
    refund_event,
    send_webhook,
    sent_refund,
    verify_request,
    watch_invariants,
)


@pytest.fixture(autouse=True)
def invariants(db):
    """Every test ends with the store's invariants (helpers_orders.Invariants)."""
    yield from watch_invariants(db)


def test_login_to_refund(invariants, client, db, category):
    train = make_product(db, category, price=129900, stock=5, name="Wooden Train Set")
    blocks = make_product(db, category, price=24950, stock=3, name="Stacking Blocks")
    _, code = make_coupon(db, discount_type="percentage", discount_value=10, max_discount=20000)
    user = buyer(client)

    # Cart and coupon.
    fill_cart(client, user, [(train, 1), (blocks, 2)])
    applied = client.post("/coupons/apply", json={"code": code.lower()}, headers=user.headers)
    assert applied.status_code == 200, applied.text
    assert applied.json()["discount"] == 17980  # 10% of 179800

    # The order: prices frozen, stock reserved, coupon redeemed, cart emptied.
    placed = order_request(client, user)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert set(order) == ORDER_FIELDS
    assert order["status"] == "pending_payment" and order["currency"] == "INR"
    assert [
        (i["product_id"], i["quantity"], i["unit_price"], i["line_total"]) for i in order["items"]
    ] == [
        (train, 1, 129900, 129900),
        (blocks, 2, 24950, 49900),
    ]
    assert (order["subtotal"], order["discount"], order["shipping"], order["total"]) == (
        179800,
        17980,
        0,
        161820,
    )
    assert order["address"]["city"] == "Bengaluru"
    assert stock(db, train) == (5, 4) and stock(db, blocks) == (3, 1)
    assert client.get("/cart", headers=user.headers).json()["items"] == []
    used = db.execute("SELECT used_count FROM store.coupons WHERE code = %s", (code,)).fetchone()[0]
    assert used == 1

    # Initiate: the checkout body the app hands to Razorpay Checkout.
    started = client.post(
        "/payments/initiate", json={"order_id": order["id"]}, headers=user.headers
    )
    assert started.status_code == 201, started.text
    checkout = started.json()
    assert checkout == {
        "payment_id": checkout["payment_id"],
        "order_id": order["id"],
        "gateway": "mock",
        "gateway_order_id": checkout["gateway_order_id"],
        "key_id": KEY_ID,
        "amount": 161820,
        "currency": "INR",
        "status": "created",
    }
    assert checkout["gateway_order_id"].startswith("order_")

    # Checkout succeeded; the app verifies Razorpay's signature.
    result = checkout_result(checkout["gateway_order_id"])
    verified = verify_request(client, user, result)
    assert verified.status_code == 200, verified.text
    assert verified.json() == {
        "payment_id": checkout["payment_id"],
        "order_id": order["id"],
        "status": "captured",
        "order_status": "confirmed",
    }
    assert stock(db, train) == (4, 4) and stock(db, blocks) == (1, 1), "sold: off the shelf"

    # The order and its payment.
    detail = client.get(f"/orders/{order['id']}", headers=user.headers).json()
    assert detail["status"] == "confirmed" and detail["total"] == 161820
    assert detail["payment"]["status"] == "captured"
    assert detail["payment"]["gateway_payment_id"] == result["gateway_payment_id"]
    assert detail["refunds"] == []
    payment = client.get(f"/payments/{order['id']}", headers=user.headers).json()
    assert (payment["order_id"], payment["status"], payment["amount"], payment["currency"]) == (
        order["id"],
        "captured",
        161820,
        "INR",
    )
    assert [(a["source"], a["status"]) for a in payment["attempts"]] == [
        ("initiate", "created"),
        ("verify", "captured"),
    ]

    # A partial refund, then Razorpay's refund.processed webhook.
    refunded = client.post(
        "/refunds",
        json={"order_id": order["id"], "amount": 24950, "reason": "One block was cracked"},
        headers=user.headers,
    )
    assert refunded.status_code == 201, refunded.text
    refund = refunded.json()
    assert (refund["order_id"], refund["amount"], refund["status"]) == (
        order["id"],
        24950,
        "pending",
    )
    listed = client.get(f"/refunds/{order['id']}", headers=user.headers).json()
    assert listed["total_refunded"] == 24950 and [r["id"] for r in listed["items"]] == [
        refund["id"]
    ]
    gateway_refund_id = sent_refund(db, refund["id"])["gateway_refund_id"]
    assert gateway_refund_id.startswith("rfnd_"), "the worker sent it; the mock gateway took it"

    processed = send_webhook(
        client,
        refund_event("refund.processed", gateway_refund_id, result["gateway_payment_id"], 24950),
    )
    assert processed.status_code == 200, processed.text
    assert processed.json()["outcome"] == "refund_processed"
    detail = client.get(f"/orders/{order['id']}", headers=user.headers).json()
    assert detail["status"] == "partially_refunded"
    assert [(r["amount"], r["status"]) for r in detail["refunds"]] == [(24950, "processed")]
    assert order_row(db, order["id"]) | {"refunds": 1} == {
        "status": "partially_refunded",
        "payment_status": "captured",
        "captured": 161820,
        "refunded": 24950,
        "refunds": 1,
        "captured_attempts": 1,
        "confirmations": 1,
    }
    history = db.execute(
        "SELECT from_status, to_status, actor FROM store.order_status_history "
        "WHERE order_id = %s ORDER BY id",
        (order["id"],),
    ).fetchall()
    assert history == [
        ("pending_payment", "confirmed", "customer"),
        ("confirmed", "partially_refunded", "gateway"),
    ]
    invariants.check()
