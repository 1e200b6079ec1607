"""The staff API over real HTTP (docs/api.md "Admin (staff) API"): products and categories,
pictures, stock adjustments, coupons, the order lists, refund requests and their approval or
rejection, and the audit trail. Every staff write leaves an audit entry; customers get 403 on
every /admin route (read from the spec) and change nothing; the invariants hold after each
story."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.conftest import API, assert_problem
from tests.helpers_cart import make_category, make_coupon, make_product, stock, tag
from tests.helpers_orders import buyer, pay, place_order, sent_refund, watch_invariants
from tests.helpers_spec import ENDPOINTS, endpoint_id, store_fingerprint, valid_call
from tests.test_catalog_cache_api import cached, wait_for_cache  # noqa: F401 (fixtures)

ADMIN_ROUTES = [ep for ep in ENDPOINTS if ep["path"].startswith("/admin")]


@pytest.fixture(autouse=True)
def invariants(db):
    yield from watch_invariants(db)


def make_staff(client, db):
    staff = buyer(client)
    db.execute("UPDATE store.users SET is_staff = TRUE WHERE id = %s", (staff.id,))
    return staff


@pytest.fixture
def staff(client, db):
    return make_staff(client, db)


def audit(client, staff, entity_type: str, entity_id: int) -> list[dict]:
    answer = client.get(
        "/admin/audit",
        params={"entity_type": entity_type, "entity_id": entity_id},
        headers=staff.headers,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def new_product(client, staff, category: int, **fields) -> dict:
    word = tag()
    body = {
        "category_id": category,
        "name": f"Staff toy {word}",
        "slug": f"staff-toy-{word}",
        "brand": "Funskool",
        "price": 49900,
        "hsn_code": "9503",
        "gst_rate": 5,
        **fields,
    }
    answer = client.post("/admin/products", json=body, headers=staff.headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


# --- authorization ---------------------------------------------------------------------------


def test_every_admin_route_is_in_the_admin_tag():
    assert len(ADMIN_ROUTES) >= 17
    assert {ep["tag"] for ep in ADMIN_ROUTES} == {"admin"}
    assert all(ep["auth"] == "user" for ep in ADMIN_ROUTES)


@pytest.mark.parametrize("ep", ADMIN_ROUTES, ids=endpoint_id)
def test_a_customer_gets_403_on_every_admin_route_and_changes_nothing(client, db, ep):
    customer = buyer(client)
    before = store_fingerprint(db)
    response = valid_call(ep, optional=True).send(client, **customer.headers)
    assert_problem(response, 403, "forbidden")
    assert store_fingerprint(db) == before


# --- products --------------------------------------------------------------------------------


def test_staff_create_a_product_and_customers_see_it_once_stocked(client, db, staff):
    category = make_category(db)
    product = new_product(client, staff, category, mrp=59900, gender="girl")
    assert {k: product[k] for k in ("price", "mrp", "hsn_code", "gst_rate", "on_hand")} == {
        "price": 49900,
        "mrp": 59900,
        "hsn_code": "9503",
        "gst_rate": 5,
        "on_hand": 0,
    }
    shown = client.get(f"/products/{product['id']}").json()
    assert shown["stock"] == 0 and shown["in_stock"] is False
    adjusted = client.post(
        f"/admin/products/{product['id']}/stock-adjustments",
        json={"delta": 6, "reason": "first delivery"},
        headers=staff.headers,
    )
    assert adjusted.json() == {
        "product_id": product["id"],
        "on_hand": 6,
        "reserved": 0,
        "available": 6,
    }
    assert client.get(f"/products/{product['id']}").json()["stock"] == 6
    actions = [e["action"] for e in audit(client, staff, "product", product["id"])]
    assert actions == ["product.stock_adjust", "product.create"]


def test_product_validation_names_the_field_and_ids_and_slugs_are_checked(client, db, staff):
    category = make_category(db)
    existing = new_product(client, staff, category)
    body = {
        "category_id": category,
        "name": "Bad",
        "slug": f"bad-{tag()}",
        "brand": "B",
        "price": 1000,
        "hsn_code": "9503",
        "gst_rate": 5,
    }
    post = lambda **change: client.post(  # noqa: E731
        "/admin/products", json={**body, **change}, headers=staff.headers
    )
    for change, field in [
        ({"gst_rate": 7}, "gst_rate"),
        ({"mrp": 999}, "mrp"),
        ({"hsn_code": "95"}, "hsn_code"),
        ({"age_min_months": 50, "age_max_months": 10}, "age_max_months"),
    ]:
        problem = assert_problem(post(**change), 422, "validation_error")
        assert [e["field"] for e in problem["errors"]] == [field], problem
    missing = {k: v for k, v in body.items() if k != "hsn_code"}
    assert_problem(
        client.post("/admin/products", json=missing, headers=staff.headers),
        422,
        "validation_error",
    )
    assert_problem(post(category_id=999999999), 404, "category_not_found")
    assert_problem(post(slug=existing["slug"]), 409, "product_slug_taken")
    assert_problem(
        client.patch("/admin/products/999999999", json={"price": 1}, headers=staff.headers),
        404,
        "product_not_found",
    )


def test_a_price_change_reaches_a_cached_product_page(cached, db, staff):  # noqa: F811
    product = make_product(db, make_category(db), price=30000, stock=2)
    first = cached.get(f"/products/{product}")
    assert first.json()["price"] == 30000
    assert cached.get(f"/products/{product}").json()["price"] == 30000  # now cached

    changed = cached.patch(
        f"/admin/products/{product}", json={"price": 25000}, headers=staff.headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["mrp"] == 30000, "only the price was sent"
    deadline_answers = [cached.get(f"/products/{product}").json()["price"] for _ in range(50)]
    assert 25000 in deadline_answers and deadline_answers[-1] == 25000


def test_deactivate_and_reactivate_a_product(client, db, staff):
    product = make_product(db, make_category(db), stock=2)
    off = client.patch(
        f"/admin/products/{product}", json={"is_active": False}, headers=staff.headers
    )
    assert off.json()["is_active"] is False
    assert_problem(client.get(f"/products/{product}"), 404, "product_not_found")
    on = client.patch(f"/admin/products/{product}", json={"is_active": True}, headers=staff.headers)
    assert on.json()["is_active"] is True
    assert client.get(f"/products/{product}").status_code == 200
    entries = audit(client, staff, "product", product)
    assert [(e["before"]["is_active"], e["after"]["is_active"]) for e in entries] == [
        (False, True),
        (True, False),
    ]


# --- pictures ----------------------------------------------------------------------------------


def test_pictures_are_added_reordered_and_removed(client, db, staff):
    product = make_product(db, make_category(db), stock=1)
    base = f"/admin/products/{product}/images"
    added = client.post(
        base,
        json={"url": "https://img.test/front.jpg", "alt": "Front", "position": 0},
        headers=staff.headers,
    )
    assert added.status_code == 201, added.text
    images = added.json()["images"]
    assert [(i["alt"], i["position"]) for i in images][0] == ("Front", 0)
    assert client.get(f"/products/{product}").json()["images"][0]["alt"] == "Front"

    moved = client.patch(
        f"{base}/{images[0]['id']}", json={"position": 5}, headers=staff.headers
    ).json()["images"]
    assert [i["id"] for i in moved] == [images[1]["id"], images[0]["id"]]
    assert [i["position"] for i in moved] == [0, 1]

    left = client.delete(f"{base}/{images[1]['id']}", headers=staff.headers).json()["images"]
    assert [(i["id"], i["position"]) for i in left] == [(images[0]["id"], 0)]
    assert_problem(
        client.delete(f"{base}/{images[1]['id']}", headers=staff.headers), 404, "image_not_found"
    )
    assert_problem(
        client.post(base, json={"url": "http://img.test/x.jpg"}, headers=staff.headers),
        422,
        "validation_error",
    )
    actions = [e["action"] for e in audit(client, staff, "product", product)]
    assert actions == ["product.image_remove", "product.image_update", "product.image_add"]


# --- stock -----------------------------------------------------------------------------------


def test_stock_never_goes_below_what_unpaid_orders_reserve(client, db, staff):
    product = make_product(db, make_category(db), price=30000, stock=4)
    place_order(client, buyer(client), [(product, 3)])  # unpaid: 3 reserved
    url = f"/admin/products/{product}/stock-adjustments"
    ok = client.post(url, json={"delta": -1, "reason": "damaged"}, headers=staff.headers)
    assert ok.json() == {"product_id": product, "on_hand": 3, "reserved": 3, "available": 0}
    refused = client.post(url, json={"delta": -1, "reason": "lost"}, headers=staff.headers)
    assert_problem(refused, 409, "stock_below_reserved")
    assert_problem(
        client.post(url, json={"delta": 0, "reason": "x"}, headers=staff.headers),
        422,
        "validation_error",
    )
    assert stock(db, product) == (3, 0)
    [entry] = [e for e in audit(client, staff, "product", product)]
    assert entry["reason"] == "damaged"
    assert (entry["before"], entry["after"]) == (
        {"on_hand": 4, "reserved": 3},
        {"on_hand": 3, "reserved": 3},
    )


def test_concurrent_removals_never_take_stock_below_zero(server, db, staff):
    product = make_product(db, make_category(db), stock=5)
    answers: list[int] = []

    def remove() -> None:
        with httpx.Client(base_url=server.base_url + API, timeout=20) as http:
            answers.append(
                http.post(
                    f"/admin/products/{product}/stock-adjustments",
                    json={"delta": -1, "reason": "counted short"},
                    headers=staff.headers,
                ).status_code
            )

    threads = [threading.Thread(target=remove) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200] * 5 + [409] * 3
    assert stock(db, product) == (0, 0)
    count = db.execute(
        "SELECT count(*) FROM store.staff_audit WHERE entity_type = 'product' AND entity_id = %s",
        (product,),
    ).fetchone()[0]
    assert count == 5, "one audit entry per adjustment made"


# --- categories ------------------------------------------------------------------------------


def test_categories_are_created_moved_and_deactivated(client, db, staff):
    word = tag()
    top = client.post(
        "/admin/categories", json={"name": "Top", "slug": f"top-{word}"}, headers=staff.headers
    )
    assert top.status_code == 201, top.text
    child = client.post(
        "/admin/categories",
        json={"name": "Child", "slug": f"child-{word}", "parent_id": top.json()["id"]},
        headers=staff.headers,
    ).json()
    assert child["parent_id"] == top.json()["id"]
    tree = client.get("/products/categories/").text
    assert f"child-{word}" in tree or "Child" in tree
    assert_problem(
        client.patch(
            f"/admin/categories/{top.json()['id']}",
            json={"parent_id": child["id"]},
            headers=staff.headers,
        ),
        422,
        "validation_error",
    )
    assert_problem(
        client.post(
            "/admin/categories",
            json={"name": "Again", "slug": f"top-{word}"},
            headers=staff.headers,
        ),
        409,
        "category_slug_taken",
    )
    off = client.patch(
        f"/admin/categories/{child['id']}", json={"is_active": False}, headers=staff.headers
    )
    assert off.json()["is_active"] is False
    assert [e["action"] for e in audit(client, staff, "category", child["id"])] == [
        "category.update",
        "category.create",
    ]
    assert_problem(
        client.patch("/admin/categories/999999", json={"name": "X"}, headers=staff.headers),
        404,
        "category_not_found",
    )


# --- coupons ---------------------------------------------------------------------------------


def test_coupons_are_created_changed_and_disabled_without_touching_redemptions(client, db, staff):
    code = "ST" + tag().upper()[:8]
    created = client.post(
        "/admin/coupons",
        json={
            "code": code.lower(),
            "discount_type": "flat",
            "discount_value": 5000,
            "usage_limit": 5,
            "valid_until": "2099-01-01T00:00:00+05:30",
        },
        headers=staff.headers,
    )
    assert created.status_code == 201, created.text
    coupon = created.json()
    assert coupon["code"] == code and coupon["used_count"] == 0
    product = make_product(db, make_category(db), price=60000, stock=3)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)], coupon_code=code)
    assert order["discount"] == 5000

    changed = client.patch(
        f"/admin/coupons/{coupon['id']}", json={"discount_value": 9000}, headers=staff.headers
    ).json()
    assert (changed["discount_value"], changed["used_count"]) == (9000, 1)
    assert client.get(f"/orders/{order['id']}", headers=user.headers).json()["discount"] == 5000
    below = client.patch(
        f"/admin/coupons/{coupon['id']}", json={"usage_limit": 0 + 1}, headers=staff.headers
    )
    assert below.status_code == 200, "a limit equal to the uses is allowed"
    assert_problem(
        client.patch(
            f"/admin/coupons/{coupon['id']}",
            json={"valid_until": "2000-01-01T00:00:00Z"},
            headers=staff.headers,
        ),
        422,
        "validation_error",
    )
    off = client.patch(
        f"/admin/coupons/{coupon['id']}", json={"is_active": False}, headers=staff.headers
    )
    assert off.json()["is_active"] is False
    other = buyer(client)
    client.post("/cart/items", json={"product_id": product, "quantity": 1}, headers=other.headers)
    assert_problem(
        client.post("/coupons/apply", json={"code": code}, headers=other.headers),
        404,
        "coupon_not_found",
    )
    _, taken = make_coupon(db)
    assert_problem(
        client.post(
            "/admin/coupons",
            json={"code": taken, "discount_type": "flat", "discount_value": 100},
            headers=staff.headers,
        ),
        409,
        "coupon_code_taken",
    )
    assert len(audit(client, staff, "coupon", coupon["id"])) == 4


# --- orders ----------------------------------------------------------------------------------


def test_staff_list_and_search_every_customers_orders(client, db, staff):
    product = make_product(db, make_category(db), price=30000, stock=10)
    alice, bob = buyer(client), buyer(client)
    a1 = place_order(client, alice, [(product, 1)])
    b1 = place_order(client, bob, [(product, 1)])
    pay(client, bob, b1["id"])
    a2 = place_order(client, alice, [(product, 1)])
    phone = db.execute("SELECT phone FROM store.users WHERE id = %s", (alice.id,)).fetchone()[0]

    by_phone = client.get(
        "/admin/orders", params={"phone": phone[3:]}, headers=staff.headers
    ).json()
    assert [o["id"] for o in by_phone["items"]] == [a2["id"], a1["id"]]
    assert by_phone["items"][0]["customer_phone"] == phone
    assert by_phone["next_cursor"] is None

    page1 = client.get(
        "/admin/orders", params={"phone": phone, "limit": 1}, headers=staff.headers
    ).json()
    page2 = client.get(
        "/admin/orders",
        params={"phone": phone, "limit": 1, "cursor": page1["next_cursor"]},
        headers=staff.headers,
    ).json()
    assert [o["id"] for o in page1["items"] + page2["items"]] == [a2["id"], a1["id"]]

    confirmed = client.get(
        "/admin/orders", params={"status": "confirmed", "limit": 100}, headers=staff.headers
    ).json()
    assert b1["id"] in [o["id"] for o in confirmed["items"]]
    assert all(o["status"] == "confirmed" for o in confirmed["items"])
    assert_problem(
        client.get(
            "/admin/orders",
            params={"created_from": "2026-11-21", "created_to": "2026-11-20"},
            headers=staff.headers,
        ),
        422,
        "validation_error",
    )
    detail = client.get(f"/admin/orders/{b1['id']}", headers=staff.headers).json()
    assert detail["user_id"] == bob.id
    assert [h["to_status"] for h in detail["history"]] == ["confirmed"]
    assert_problem(
        client.get("/admin/orders/999999999", headers=staff.headers), 404, "order_not_found"
    )


# --- refund requests -----------------------------------------------------------------------


@pytest.fixture
def shipped(client, db, staff):
    """A customer's paid order of 2 units at ₹300, shipped by staff: (customer, order, product)."""
    product = make_product(db, make_category(db), price=30000, stock=2)
    customer = buyer(client)
    order = place_order(client, customer, [(product, 2)])
    pay(client, customer, order["id"])
    for status in ("packed", "shipped"):
        moved = client.patch(
            f"/admin/orders/{order['id']}/status", json={"status": status}, headers=staff.headers
        )
        assert moved.status_code == 200, moved.text
    return customer, order, product


def test_a_refund_of_a_shipped_order_waits_for_staff_then_is_approved(
    invariants, client, db, staff, shipped
):
    customer, order, product = shipped
    asked = client.post(
        "/refunds",
        json={
            "order_id": order["id"],
            "amount": 30000,
            "reason": "One arrived broken",
            "restock": True,
        },
        headers=customer.headers,
    )
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["status"] == "requested"
    assert (
        db.execute(
            "SELECT amount_refunded FROM store.payments WHERE order_id = %s", (order["id"],)
        ).fetchone()[0]
        == 0
    ), "a request reserves nothing"
    listed = client.get("/refunds/" + str(order["id"]), headers=customer.headers).json()
    assert listed["total_refunded"] == 0 and listed["items"][0]["status"] == "requested"
    assert_problem(
        client.post(
            "/refunds", json={"order_id": order["id"], "reason": "Again"}, headers=customer.headers
        ),
        409,
        "refund_already_requested",
    )
    waiting = client.get("/admin/refunds", params={"limit": 100}, headers=staff.headers).json()
    assert request["id"] in [r["id"] for r in waiting["items"]]
    invariants.check()

    approved = client.post(
        f"/admin/refunds/{request['id']}/approve",
        json={"note": "Photo checked"},
        headers=staff.headers,
    )
    assert approved.status_code == 200, approved.text
    assert {k: approved.json()[k] for k in ("status", "decided_by", "order_status")} == {
        "status": "pending",
        "decided_by": staff.id,
        "order_status": "shipped",
    }
    assert sent_refund(db, request["id"])["gateway_refund_id"], "sent to the gateway"
    assert stock(db, product)[0] == 2, "restocked on approval"
    assert_problem(
        client.post(f"/admin/refunds/{request['id']}/approve", json={}, headers=staff.headers),
        409,
        "refund_not_requested",
    )
    [entry] = audit(client, staff, "refund", request["id"])
    assert (entry["action"], entry["reason"], entry["customer_id"]) == (
        "refund.approve",
        "Photo checked",
        customer.id,
    )
    invariants.check()


def test_a_rejected_request_moves_no_money_and_shows_its_reason(
    invariants, client, db, staff, shipped
):
    customer, order, _ = shipped
    request = client.post(
        "/refunds",
        json={"order_id": order["id"], "reason": "Did not like it"},
        headers=customer.headers,
    ).json()
    assert request["status"] == "requested" and request["amount"] == 60000
    rejected = client.post(
        f"/admin/refunds/{request['id']}/reject",
        json={"reason": "Used; returns need the box"},
        headers=staff.headers,
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    seen = client.get(f"/orders/{order['id']}", headers=customer.headers).json()
    assert seen["status"] == "shipped"
    assert seen["refunds"][0]["rejection_reason"] == "Used; returns need the box"
    assert_problem(
        client.post(
            f"/admin/refunds/{request['id']}/reject", json={"reason": "x"}, headers=staff.headers
        ),
        409,
        "refund_not_requested",
    )
    assert_problem(
        client.post("/admin/refunds/999999999/reject", json={"reason": "x"}, headers=staff.headers),
        404,
        "refund_not_found",
    )
    again = client.post(
        "/refunds",
        json={"order_id": order["id"], "reason": "Asking again"},
        headers=customer.headers,
    )
    assert again.json()["status"] == "requested", "the customer may ask again"
    invariants.check()


def test_a_cancel_before_shipping_still_refunds_at_once(client, db, staff):
    product = make_product(db, make_category(db), price=30000, stock=1)
    customer = buyer(client)
    order = place_order(client, customer, [(product, 1)])
    pay(client, customer, order["id"])
    cancelled = client.post(f"/orders/{order['id']}/cancel", json={}, headers=customer.headers)
    assert cancelled.json()["refunds"][0]["status"] == "pending"
    partial = buyer(client)
    other = place_order(client, partial, [(make_product(db, make_category(db), stock=1), 1)])
    pay(client, partial, other["id"])
    answer = client.post(
        "/refunds",
        json={"order_id": other["id"], "amount": 1000, "reason": "Not shipped yet"},
        headers=partial.headers,
    )
    assert answer.json()["status"] == "pending", "before shipping: refunded at once"


def test_update_order_status_is_audited(client, db, staff, shipped):
    _, order, _ = shipped
    entries = audit(client, staff, "order", order["id"])
    assert [(e["before"]["status"], e["after"]["status"]) for e in entries] == [
        ("packed", "shipped"),
        ("confirmed", "packed"),
    ]
    assert all(e["staff_user_id"] == staff.id for e in entries)
