"""Cash on delivery over real HTTP (docs/payments.md "Cash on delivery"): POST /orders with
payment_method cod is confirmed at once with its stock sold and the COD fee added, never goes
through the gateway, and staff take it to cod_collected, or back as returned; the limits answer
422 cod_not_available and change nothing. The invariants hold after each story."""

from __future__ import annotations

import pytest

from tests.conftest import assert_problem
from tests.helpers_cart import make_product, stock
from tests.helpers_orders import (
    ORDER_FIELDS,
    buyer,
    fill_cart,
    order_request,
    pay,
    place_order,
    watch_invariants,
)
from tests.helpers_users import address_body

COD_FEE = 4900  # internal.cod_fee()
COD_LIMIT = 1_000_000  # internal.cod_limit(), fee included


@pytest.fixture(autouse=True)
def invariants(db):
    yield from watch_invariants(db)


@pytest.fixture
def product(db, category):
    return lambda **fields: make_product(db, category, **fields)


@pytest.fixture
def staff(client, db):
    member = buyer(client)
    db.execute("UPDATE store.users SET is_staff = TRUE WHERE id = %s", (member.id,))
    return member


def move(client, staff, order_id: int, status: str) -> dict:
    answer = client.patch(
        f"/admin/orders/{order_id}/status", json={"status": status}, headers=staff.headers
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def cart_count(client, user) -> int:
    return client.get("/cart", headers=user.headers).json()["item_count"]


def test_a_cod_order_is_confirmed_at_once_and_collected_after_delivery(
    invariants, client, db, product, staff
):
    toy = product(price=30000, stock=5)
    user = buyer(client)

    order = place_order(client, user, [(toy, 2)], payment_method="cod")

    assert set(order) == ORDER_FIELDS
    assert (order["status"], order["payment_method"]) == ("confirmed", "cod")
    assert (order["subtotal"], order["shipping"], order["cod_fee"]) == (60000, 0, COD_FEE)
    assert order["total"] == 60000 + COD_FEE
    assert stock(db, toy) == (3, 3), "sold at once: on hand down, nothing left reserved"
    assert cart_count(client, user) == 0
    assert_problem(
        client.post("/payments/initiate", json={"order_id": order["id"]}, headers=user.headers),
        409,
        "order_not_payable",
    )
    refund = {"order_id": order["id"], "reason": "Changed my mind"}
    refused = client.post("/refunds", json=refund, headers=user.headers)
    assert "cash on delivery" in assert_problem(refused, 409, "order_not_refundable")["detail"]

    for status in ("packed", "shipped", "delivered", "cod_collected"):
        assert move(client, staff, order["id"], status)["status"] == status
    refused = client.post("/refunds", json=refund, headers=user.headers)
    assert "cash on delivery" in assert_problem(refused, 409, "order_not_refundable")["detail"], (
        "collected in cash: nothing to refund online, nor to ask staff for"
    )
    detail = client.get(f"/orders/{order['id']}", headers=user.headers).json()
    assert (detail["status"], detail["payment"], detail["refunds"]) == ("cod_collected", None, [])
    listed = client.get("/orders", params={"status": "cod_collected"}, headers=user.headers)
    assert [o["id"] for o in listed.json()["items"]] == [order["id"]]
    assert db.execute(
        "SELECT array_agg(to_status ORDER BY id) FROM store.order_status_history"
        " WHERE order_id = %s",
        (order["id"],),
    ).fetchone()[0] == ["confirmed", "packed", "shipped", "delivered", "cod_collected"]
    invariants.check()


def test_an_online_order_is_the_default_and_carries_no_fee(client, product):
    user = buyer(client)
    order = place_order(client, user, [(product(price=30000, stock=1), 1)])
    assert (order["status"], order["payment_method"], order["cod_fee"]) == (
        "pending_payment",
        "online",
        0,
    )


def test_a_returned_cod_order_puts_its_stock_back(invariants, client, db, product, staff):
    toy = product(price=30000, stock=3)
    user = buyer(client)
    order = place_order(client, user, [(toy, 2)], payment_method="cod")
    assert_problem(
        client.patch(
            f"/admin/orders/{order['id']}/status",
            json={"status": "returned"},
            headers=staff.headers,
        ),
        409,
        "order_not_cancellable",
    )
    move(client, staff, order["id"], "packed")
    move(client, staff, order["id"], "shipped")
    assert stock(db, toy) == (1, 1)

    returned = move(client, staff, order["id"], "returned")

    assert (returned["status"], returned["refunds"]) == ("returned", [])
    assert stock(db, toy) == (3, 3)
    invariants.check()


def test_a_customer_cancels_a_cod_order_before_it_ships(invariants, client, db, product):
    toy = product(price=30000, stock=3)
    user = buyer(client)
    order = place_order(client, user, [(toy, 3)], payment_method="cod")
    assert stock(db, toy) == (0, 0)

    answer = client.post(f"/orders/{order['id']}/cancel", headers=user.headers)

    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["refunds"]) == ("cancelled", [])
    assert stock(db, toy) == (3, 3)
    invariants.check()


def test_cod_above_the_limit_is_refused_and_changes_nothing(client, db, product):
    dear = product(price=COD_LIMIT // 2, stock=4)
    user = buyer(client)
    fill_cart(client, user, [(dear, 2)])  # the limit exactly, plus the fee

    answer = order_request(client, user, payment_method="cod")

    assert_problem(answer, 422, "cod_not_available")
    assert "₹10000" in answer.json()["detail"]
    assert stock(db, dear) == (4, 4) and cart_count(client, user) == 2
    assert order_request(client, user).status_code == 201, "online is still open to it"


def test_too_many_cod_orders_on_the_way_are_refused(client, db, product, staff):
    toy = product(price=30000, stock=10)
    user = buyer(client)
    first = place_order(client, user, [(toy, 1)], payment_method="cod")
    place_order(client, user, [(toy, 1)], payment_method="cod")
    fill_cart(client, user, [(toy, 1)])

    assert_problem(order_request(client, user, payment_method="cod"), 422, "cod_not_available")
    assert stock(db, toy) == (8, 8)

    for status in ("packed", "shipped", "delivered"):
        move(client, staff, first["id"], status)
    third = order_request(client, user, payment_method="cod")
    assert third.status_code == 201, "a delivered order is no longer on the way"


def test_a_payment_method_outside_online_and_cod_is_a_validation_error(client, product):
    user = buyer(client)
    fill_cart(client, user, [(product(stock=1), 1)])
    answer = order_request(client, user, payment_method="upi")
    assert_problem(answer, 422, "validation_error")
    assert cart_count(client, user) == 1


def test_an_online_order_is_neither_collected_nor_returned(client, db, product, staff):
    user = buyer(client)
    order = place_order(client, user, [(product(stock=1), 1)])
    pay(client, user, order["id"])
    move(client, staff, order["id"], "packed")
    move(client, staff, order["id"], "shipped")
    url = f"/admin/orders/{order['id']}/status"
    refused = client.patch(url, json={"status": "returned"}, headers=staff.headers)
    assert_problem(refused, 409, "invalid_status_transition")
    move(client, staff, order["id"], "delivered")
    refused = client.patch(url, json={"status": "cod_collected"}, headers=staff.headers)
    assert_problem(refused, 409, "invalid_status_transition")


def test_cod_to_a_pincode_without_it_is_refused_and_online_is_not(client, db, product):
    toy = product(price=30000, stock=2)
    user = buyer(client)
    ladakh = client.post(
        "/users/me/addresses",
        json=address_body(city="Leh", state="Ladakh", pincode="194101"),
        headers=user.headers,
    ).json()
    fill_cart(client, user, [(toy, 1)])

    answer = client.post(
        "/orders",
        json={"address_id": ladakh["id"], "payment_method": "cod"},
        headers=user.headers,
    )

    problem = assert_problem(answer, 422, "cod_not_available")
    assert "194101" in problem["detail"]
    assert stock(db, toy) == (2, 2) and cart_count(client, user) == 1
    online = client.post("/orders", json={"address_id": ladakh["id"]}, headers=user.headers)
    assert online.status_code == 201, online.text
