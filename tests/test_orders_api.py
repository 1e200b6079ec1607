"""Orders over real HTTP (docs/api.md "Orders"): POST /orders, GET /orders, GET /orders/{id},
POST /orders/{id}/cancel, PATCH /admin/orders/{id}/status, and the sweeper that expires unpaid
orders. Prices are frozen, stock is reserved and given back, coupons are redeemed and given
back, another user's order is a 404, and the invariants hold after each story."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.conftest import assert_problem
from tests.helpers_cart import make_coupon, make_product, stock
from tests.helpers_orders import (
    ORDER_FIELDS,
    buyer,
    fill_cart,
    initiate,
    order_request,
    order_row,
    pay,
    place_order,
    sent_refund,
    watch_invariants,
)


@pytest.fixture(autouse=True)
def invariants(db):
    """Every test ends with the store's invariants (helpers_orders.Invariants)."""
    yield from watch_invariants(db)


@pytest.fixture
def product(db, category):
    """Makes a product: product(price=..., stock=..., name=...) -> id."""
    return lambda **fields: make_product(db, category, **fields)


def used_count(db, code: str) -> int:
    return db.execute("SELECT used_count FROM store.coupons WHERE code = %s", (code,)).fetchone()[0]


def make_staff(db, client):
    staff = buyer(client)
    db.execute("UPDATE store.users SET is_staff = TRUE WHERE id = %s", (staff.id,))
    return staff


# --- POST /orders ---------------------------------------------------------------------------


def test_an_order_freezes_prices_and_the_address(client, db, product):
    toy = product(price=19900, stock=4, name="Rattle")
    user = buyer(client)
    order = place_order(client, user, [(toy, 2)])

    assert set(order) == ORDER_FIELDS
    assert order["items"] == [
        {
            "product_id": toy,
            "name": "Rattle",
            "unit_price": 19900,
            "quantity": 2,
            "line_total": 39800,
        }
    ]
    # 398 rupees is under 499: shipping is charged.
    assert (order["subtotal"], order["discount"], order["shipping"], order["total"]) == (
        39800,
        0,
        4000,
        43800,
    )
    db.execute(
        "UPDATE store.products SET price = 99900, mrp = 99900, name = 'Renamed' WHERE id = %s",
        (toy,),
    )
    changed = client.put(
        f"/users/me/addresses/{user.address_id}",
        json={
            "name": "Someone Else",
            "phone": "9123456780",
            "line1": "Elsewhere",
            "city": "Pune",
            "state": "Maharashtra",
            "pincode": "411001",
        },
        headers=user.headers,
    )
    assert changed.status_code == 200, changed.text
    assert client.delete(f"/users/me/addresses/{user.address_id}", headers=user.headers).is_success

    again = client.get(f"/orders/{order['id']}", headers=user.headers).json()
    assert {k: again[k] for k in ORDER_FIELDS} == order, "later changes never touch the order"
    assert again["payment"] is None and again["refunds"] == []


def test_shipping_is_free_from_499_after_the_discount(client, db, product):
    toy = product(price=50000, stock=5)
    _, code = make_coupon(db, discount_value=200)  # ₹2 off: 500 - 2 = 498 < 499
    user = buyer(client)
    with_coupon = place_order(client, user, [(toy, 1)], coupon_code=code)
    without = place_order(client, user, [(toy, 1)])

    assert (with_coupon["discount"], with_coupon["shipping"], with_coupon["total"]) == (
        200,
        4000,
        53800,
    )
    assert (without["discount"], without["shipping"], without["total"]) == (0, 0, 50000)


def test_the_order_reserves_stock_redeems_the_coupon_and_empties_the_cart(
    invariants, client, db, product
):
    toy = product(price=60000, stock=3)
    _, code = make_coupon(db, discount_value=10000, usage_limit=10)
    user = buyer(client)
    fill_cart(client, user, [(toy, 2)])
    assert client.post("/coupons/apply", json={"code": code}, headers=user.headers).is_success

    order = order_request(client, user).json()

    assert (order["discount"], order["total"]) == (10000, 110000)
    assert stock(db, toy) == (3, 1), "two units reserved, none sold"
    assert used_count(db, code) == 1
    cart = client.get("/cart", headers=user.headers).json()
    assert cart["items"] == [] and cart["coupon"] is None
    invariants.check()


def test_coupon_code_overrides_the_carts_coupon(client, db, product):
    toy = product(price=60000, stock=3)
    _, cart_code = make_coupon(db, discount_value=10000)
    _, body_code = make_coupon(db, discount_value=500)
    user = buyer(client)
    fill_cart(client, user, [(toy, 1)])
    assert client.post("/coupons/apply", json={"code": cart_code}, headers=user.headers).is_success

    order = order_request(client, user, coupon_code=body_code.lower()).json()

    assert order["discount"] == 500
    assert (used_count(db, cart_code), used_count(db, body_code)) == (0, 1)


def test_a_cart_coupon_that_stopped_applying_is_left_out(client, db, product):
    toy = product(price=60000, stock=3)
    coupon_id, code = make_coupon(db, discount_value=10000)
    user = buyer(client)
    fill_cart(client, user, [(toy, 1)])
    assert client.post("/coupons/apply", json={"code": code}, headers=user.headers).is_success
    db.execute("UPDATE store.coupons SET min_order_value = 100000 WHERE id = %s", (coupon_id,))

    order = order_request(client, user).json()

    assert (order["discount"], order["total"]) == (0, 60000), "as the cart showed it"
    assert used_count(db, code) == 0


def test_a_coupon_in_the_body_must_apply(client, db, product):
    toy = product(price=60000, stock=3)
    _, code = make_coupon(db, discount_value=10000, min_order_value=100000)
    user = buyer(client)
    fill_cart(client, user, [(toy, 1)])

    assert_problem(order_request(client, user, coupon_code=code), 422, "coupon_min_order_not_met")
    assert_problem(order_request(client, user, coupon_code="NOSUCHCODE"), 404, "coupon_not_found")
    assert stock(db, toy) == (3, 3), "nothing reserved by the failed attempts"
    assert len(client.get("/cart", headers=user.headers).json()["items"]) == 1, "cart kept"


def test_order_errors(client, db, product):
    user, other = buyer(client), buyer(client)
    assert_problem(order_request(client, user), 409, "cart_empty")

    scarce = product(stock=1, name="Last Kite")
    fill_cart(client, user, [(scarce, 1)])
    db.execute("UPDATE store.inventory SET on_hand = 0 WHERE product_id = %s", (scarce,))
    problem = assert_problem(order_request(client, user), 409, "insufficient_stock")
    assert "Last Kite" in problem["detail"]

    db.execute("UPDATE store.inventory SET on_hand = 1 WHERE product_id = %s", (scarce,))
    answer = client.post(
        "/orders", json={"address_id": other.address_id}, headers=user.headers
    )  # another user's address
    assert_problem(answer, 404, "address_not_found")

    db.execute("UPDATE store.products SET is_active = FALSE WHERE id = %s", (scarce,))
    assert_problem(order_request(client, user), 404, "product_not_found")
    assert db.execute(
        "SELECT count(*) FROM store.orders WHERE user_id = %s", (user.id,)
    ).fetchone() == (0,)


def test_the_same_idempotency_key_places_one_order(client, db, product):
    toy = product(stock=5)
    user, other = buyer(client), buyer(client)
    key = str(uuid.uuid4())
    first = place_order(client, user, [(toy, 1)], key=key)

    fill_cart(client, user, [(toy, 2)])  # the retry comes after the cart changed: still a replay
    again = order_request(client, user, key=key)

    assert again.status_code == 201 and again.json() == first
    assert db.execute(
        "SELECT count(*) FROM store.orders WHERE user_id = %s", (user.id,)
    ).fetchone() == (1,)
    assert_problem(
        order_request(client, user, key=key, coupon_code="WELCOME10"), 422, "idempotency_key_reused"
    )
    # Keys are per user: another user's same key places their own order.
    theirs = place_order(client, other, [(toy, 1)], key=key)
    assert theirs["id"] != first["id"]
    too_long = order_request(client, user, key="k" * 256)
    assert_problem(too_long, 422, "validation_error")


# --- GET /orders, GET /orders/{id} ----------------------------------------------------------


def test_orders_are_listed_newest_first_with_a_status_filter(client, db, product):
    toy = product(price=10000, stock=10)
    user, other = buyer(client), buyer(client)
    ids = [place_order(client, user, [(toy, n)])["id"] for n in (1, 2, 3)]
    place_order(client, other, [(toy, 1)])
    client.post(f"/orders/{ids[0]}/cancel", headers=user.headers)

    page = client.get("/orders", params={"page_size": 2}, headers=user.headers).json()
    assert [o["id"] for o in page["items"]] == [ids[2], ids[1]]
    assert (page["page"], page["page_size"], page["total"]) == (1, 2, 3)
    assert page["items"][0] == {
        "id": ids[2],
        "status": "pending_payment",
        "total": 34000,
        "item_count": 3,
        "created_at": page["items"][0]["created_at"],
    }
    second = client.get("/orders", params={"page": 2, "page_size": 2}, headers=user.headers).json()
    assert [o["id"] for o in second["items"]] == [ids[0]]
    cancelled = client.get("/orders", params={"status": "cancelled"}, headers=user.headers).json()
    assert [o["id"] for o in cancelled["items"]] == [ids[0]] and cancelled["total"] == 1
    assert_problem(
        client.get("/orders", params={"page_size": 101}, headers=user.headers),
        422,
        "validation_error",
    )
    assert_problem(
        client.get("/orders", params={"status": "lost"}, headers=user.headers),
        422,
        "validation_error",
    )


def test_another_users_order_is_not_found(client, db, product):
    toy = product(stock=5)
    owner, stranger = buyer(client), buyer(client)
    order = place_order(client, owner, [(toy, 1)])

    assert_problem(
        client.get(f"/orders/{order['id']}", headers=stranger.headers), 404, "order_not_found"
    )
    assert_problem(
        client.get("/orders/999999999", headers=stranger.headers), 404, "order_not_found"
    )
    assert_problem(
        client.post(f"/orders/{order['id']}/cancel", headers=stranger.headers),
        404,
        "order_not_found",
    )
    assert order_row(db, order["id"])["status"] == "pending_payment"
    assert client.get("/orders", headers=stranger.headers).json()["total"] == 0


# --- POST /orders/{id}/cancel ---------------------------------------------------------------


def test_cancelling_an_unpaid_order_releases_stock_and_the_coupon(invariants, client, db, product):
    toy = product(price=60000, stock=2)
    _, code = make_coupon(db, discount_value=1000, usage_limit=1)
    user = buyer(client)
    order = place_order(client, user, [(toy, 2)], coupon_code=code)
    assert stock(db, toy) == (2, 0) and used_count(db, code) == 1

    answer = client.post(
        f"/orders/{order['id']}/cancel", json={"reason": "Wrong size"}, headers=user.headers
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "cancelled" and body["refunds"] == [] and body["payment"] is None
    assert stock(db, toy) == (2, 2)
    assert used_count(db, code) == 0, "the one use of the coupon is free again"
    assert db.execute(
        "SELECT from_status, to_status, actor, actor_user_id, reason "
        "FROM store.order_status_history WHERE order_id = %s",
        (order["id"],),
    ).fetchall() == [("pending_payment", "cancelled", "customer", user.id, "Wrong size")]
    again = client.post(f"/orders/{order['id']}/cancel", headers=user.headers)
    assert_problem(again, 409, "order_not_cancellable")
    assert_problem(
        client.post("/payments/initiate", json={"order_id": order["id"]}, headers=user.headers),
        409,
        "order_not_payable",
    )
    invariants.check()


def test_cancelling_a_paid_order_restocks_and_refunds_in_full(invariants, client, db, product):
    toy = product(price=60000, stock=2)
    user = buyer(client)
    order = place_order(client, user, [(toy, 2)])
    pay(client, user, order["id"])
    assert stock(db, toy) == (0, 0)

    answer = client.post(f"/orders/{order['id']}/cancel", headers=user.headers)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "cancelled"
    assert [(r["amount"], r["status"], r["restock"]) for r in body["refunds"]] == [
        (120000, "pending", True)
    ]
    assert "gateway_refunds" not in body
    assert stock(db, toy) == (2, 2), "sold units back on hand"
    [refund] = body["refunds"]
    assert sent_refund(db, refund["id"])["gateway_refund_id"].startswith("rfnd_"), (
        "sent to the gateway by the worker"
    )
    assert order_row(db, order["id"])["refunded"] == 120000
    invariants.check()


def test_cancel_takes_no_body_at_all(client, db, product):
    """`{"reason"?}`: the body may be left out entirely, and the API documents it so."""
    user = buyer(client)
    order = place_order(client, user, [(product(stock=1), 1)])
    answer = client.post(f"/orders/{order['id']}/cancel", headers=user.headers)
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled", answer.text
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/orders/{order_id}/cancel"]
    assert not operation["post"]["requestBody"].get("required")


def test_a_shipped_order_cannot_be_cancelled(client, db, product):
    toy = product(stock=2)
    user = buyer(client)
    staff = make_staff(db, client)
    order = place_order(client, user, [(toy, 1)])
    pay(client, user, order["id"])
    for status in ("packed", "shipped"):
        moved = client.patch(
            f"/admin/orders/{order['id']}/status", json={"status": status}, headers=staff.headers
        )
        assert moved.status_code == 200, moved.text

    assert_problem(
        client.post(f"/orders/{order['id']}/cancel", headers=user.headers),
        409,
        "order_not_cancellable",
    )
    assert order_row(db, order["id"])["status"] == "shipped"


# --- PATCH /admin/orders/{id}/status ---------------------------------------------------------


def test_staff_move_orders_along_and_every_move_is_recorded(client, db, product):
    toy = product(stock=2)
    user = buyer(client)
    staff = make_staff(db, client)
    order = place_order(client, user, [(toy, 1)])
    url = f"/admin/orders/{order['id']}/status"

    assert_problem(
        client.patch(url, json={"status": "packed"}, headers=staff.headers),
        409,
        "invalid_status_transition",
    )
    pay(client, user, order["id"])
    assert_problem(
        client.patch(url, json={"status": "packed"}, headers=user.headers), 403, "forbidden"
    )
    assert_problem(
        client.patch(url, json={"status": "shipped"}, headers=staff.headers),
        409,
        "invalid_status_transition",
    )
    for status in ("packed", "shipped", "delivered"):
        moved = client.patch(
            url, json={"status": status, "reason": f"{status} by ops"}, headers=staff.headers
        )
        assert moved.status_code == 200 and moved.json()["status"] == status, moved.text
    assert_problem(
        client.patch(url, json={"status": "confirmed"}, headers=staff.headers),
        409,
        "invalid_status_transition",
    )
    assert_problem(
        client.patch(url, json={"status": "refunded"}, headers=staff.headers),
        409,
        "invalid_status_transition",
    )
    assert_problem(
        client.patch(
            "/admin/orders/999999999/status", json={"status": "packed"}, headers=staff.headers
        ),
        404,
        "order_not_found",
    )
    assert_problem(
        client.patch(url, json={"status": "lost"}, headers=staff.headers), 422, "validation_error"
    )

    history = db.execute(
        "SELECT to_status, actor, actor_user_id, reason FROM store.order_status_history "
        "WHERE order_id = %s ORDER BY id",
        (order["id"],),
    ).fetchall()
    assert history == [
        ("confirmed", "customer", user.id, None),
        ("packed", "staff", staff.id, "packed by ops"),
        ("shipped", "staff", staff.id, "shipped by ops"),
        ("delivered", "staff", staff.id, "delivered by ops"),
    ]


def test_staff_cancel_a_paid_order_as_the_customer_would(invariants, client, db, product):
    toy = product(price=70000, stock=1)
    user = buyer(client)
    staff = make_staff(db, client)
    order = place_order(client, user, [(toy, 1)])
    pay(client, user, order["id"])

    answer = client.patch(
        f"/admin/orders/{order['id']}/status",
        json={"status": "cancelled", "reason": "Damaged in the warehouse"},
        headers=staff.headers,
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "cancelled"
    assert [r["amount"] for r in answer.json()["refunds"]] == [70000]
    assert stock(db, toy) == (1, 1)
    invariants.check()


# --- the sweeper ----------------------------------------------------------------------------


def test_the_sweeper_expires_unpaid_orders(invariants, client, db, product):
    toy = product(stock=3)
    _, code = make_coupon(db, discount_value=100, usage_limit=5)
    user = buyer(client)
    lapsed = place_order(client, user, [(toy, 1)], coupon_code=code)
    failed = place_order(client, user, [(toy, 1)])
    initiate(client, user, failed["id"])
    db.execute("UPDATE store.payments SET status = 'failed' WHERE order_id = %s", (failed["id"],))
    fresh = place_order(client, user, [(toy, 1)])
    db.execute(
        "UPDATE store.orders SET payment_due_at = now() - interval '1 second' WHERE id = ANY(%s)",
        ([lapsed["id"], failed["id"]],),
    )
    db.execute(
        "UPDATE store.inventory_locks SET expires_at = now() - interval '1 second' "
        "WHERE order_id = ANY(%s)",
        ([lapsed["id"], failed["id"]],),
    )

    swept = db.execute("SELECT api.sweep()").fetchone()[0]

    assert swept["orders_expired"] >= 2
    assert order_row(db, lapsed["id"])["status"] == "expired"
    assert order_row(db, failed["id"])["status"] == "payment_failed"
    assert order_row(db, fresh["id"])["status"] == "pending_payment"
    assert stock(db, toy) == (3, 2), "only the fresh order still holds a unit"
    assert used_count(db, code) == 0
    assert_problem(
        client.post("/payments/initiate", json={"order_id": lapsed["id"]}, headers=user.headers),
        409,
        "order_not_payable",
    )
    invariants.check()


def test_the_state_diagram_in_the_docs_draws_order_transitions(db):
    """docs/payments.md's Mermaid diagram has exactly the moves of internal.order_transitions()."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "payments.md").read_text()
    diagram = re.search(r"```mermaid\nstateDiagram-v2\n(.*?)```", doc, re.S).group(1)
    drawn = set(re.findall(r"^    (\w+) --> (\w+)", diagram, re.M))
    moves = set(db.execute("SELECT from_status, to_status FROM internal.order_transitions()"))
    assert drawn == moves
