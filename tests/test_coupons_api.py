"""POST /coupons/apply over real HTTP (docs/api.md "Coupons", "Demo data"): the preview, the demo
coupons, each rule's error as problem+json, applying uses nothing up, and a coupon that stops
applying stays on the cart with no discount. Coupons whose state a test changes are made by that
test; the demo coupons are only applied (which changes nothing)."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from tests.conftest import assert_problem
from tests.helpers_cart import (
    Shopper,
    make_coupon,
    make_order,
    make_product,
    shopper,
)


@pytest.fixture
def user(client: httpx.Client) -> Shopper:
    return shopper(client)


@pytest.fixture
def fill_cart(client: httpx.Client, db: psycopg.Connection, category: int):
    """Puts `quantity` units of a fresh product at `price` paise in the user's cart."""

    def fill(user: Shopper, price: int, quantity: int = 1) -> dict:
        product_id = make_product(db, category, price=price, stock=10)
        answer = client.post(
            "/cart/items",
            json={"product_id": product_id, "quantity": quantity},
            headers=user.headers,
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    return fill


def apply(client: httpx.Client, user: Shopper, code: str) -> httpx.Response:
    return client.post("/coupons/apply", json={"code": code}, headers=user.headers)


def applied(client: httpx.Client, user: Shopper, code: str) -> dict:
    answer = apply(client, user, code)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    return answer.json()


def cart(client: httpx.Client, user: Shopper) -> dict:
    answer = client.get("/cart", headers=user.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def used_count(db: psycopg.Connection, code: str) -> int:
    return db.execute("SELECT used_count FROM store.coupons WHERE code = %s", (code,)).fetchone()[0]


def test_welcome10_previews_and_attaches(client, db, user, fill_cart):
    fill_cart(user, 29900, 2)
    uses_before = used_count(db, "WELCOME10")

    preview = applied(client, user, "welcome10")

    assert preview == {
        "code": "WELCOME10",
        "description": "10% off up to ₹200, once per user",
        "subtotal": 59800,
        "discount": 5980,
        "shipping": 0,
        "total": 53820,
    }
    shown = cart(client, user)
    assert shown["coupon"] == {"code": "WELCOME10", "description": preview["description"]}
    assert (shown["subtotal"], shown["discount"], shown["shipping"], shown["total"]) == (
        59800,
        5980,
        0,
        53820,
    )
    assert used_count(db, "WELCOME10") == uses_before, "applying uses nothing up"


def test_welcome10_is_capped_at_200_rupees(client, user, fill_cart):
    fill_cart(user, 300000)

    assert applied(client, user, "WELCOME10")["discount"] == 20000


def test_flat100_needs_999_rupees(client, user, fill_cart):
    fill_cart(user, 50000)

    problem = assert_problem(apply(client, user, "FLAT100"), 422, "coupon_min_order_not_met")
    assert problem["detail"] == "FLAT100 needs an order of at least ₹999; add ₹499 more"

    fill_cart(user, 49900)
    preview = applied(client, user, "FLAT100")
    assert (preview["subtotal"], preview["discount"], preview["total"]) == (99900, 10000, 89900)


def test_limited5_gives_50_rupees_off(client, user, fill_cart):
    fill_cart(user, 29900)

    preview = applied(client, user, "LIMITED5")

    assert (preview["discount"], preview["shipping"], preview["total"]) == (5000, 4000, 28900)


def test_expired20_is_expired(client, user, fill_cart):
    fill_cart(user, 29900)

    assert_problem(apply(client, user, "EXPIRED20"), 422, "coupon_expired")
    assert cart(client, user)["coupon"] is None


def test_unknown_and_inactive_codes_are_not_found(client, db, user, fill_cart):
    fill_cart(user, 29900)
    _, inactive = make_coupon(db, is_active=False)

    for code in ("NOSUCHCODE", inactive, inactive.lower()):
        problem = assert_problem(apply(client, user, code), 404, "coupon_not_found")
        assert problem["detail"] == f"No coupon {code.upper()}"


def test_a_used_up_coupon(client, db, user, fill_cart):
    fill_cart(user, 29900)
    _, code = make_coupon(db, usage_limit=5, used_count=5)

    assert_problem(apply(client, user, code), 422, "coupon_usage_limit_reached")


def test_a_coupon_the_user_already_redeemed(client, db, user, fill_cart):
    fill_cart(user, 29900)
    coupon_id, code = make_coupon(db, per_user_limit=1)
    order_id = make_order(db, user.id, [])
    db.execute("SELECT internal.redeem_coupon(%s, %s, %s, 29900)", (user.id, order_id, coupon_id))

    problem = assert_problem(apply(client, user, code), 422, "coupon_already_used")
    assert problem["detail"] == f"You have already used {code}"
    other = shopper(client)
    fill_cart(other, 29900)
    assert applied(client, other, code)["discount"] == 5000, "others still may"


def test_firstorder_after_a_paid_order(client, db, user, fill_cart):
    fill_cart(user, 69900)
    assert applied(client, user, "FIRSTORDER")["discount"] == 15000

    make_order(db, user.id, [], status="delivered")

    problem = assert_problem(apply(client, user, "FIRSTORDER"), 422, "coupon_already_used")
    assert problem["detail"] == "FIRSTORDER is only for your first order"


def test_another_coupon_replaces_the_first(client, db, user, fill_cart):
    fill_cart(user, 120000)
    applied(client, user, "WELCOME10")

    applied(client, user, "FLAT100")

    shown = cart(client, user)
    assert shown["coupon"]["code"] == "FLAT100" and shown["discount"] == 10000


def test_a_refused_coupon_leaves_the_applied_one(client, user, fill_cart):
    fill_cart(user, 29900)
    applied(client, user, "WELCOME10")

    assert_problem(apply(client, user, "EXPIRED20"), 422, "coupon_expired")

    assert cart(client, user)["coupon"]["code"] == "WELCOME10"


def test_a_coupon_that_stops_applying_stays_with_no_discount(client, db, user, fill_cart):
    fill_cart(user, 29900)
    coupon_id, code = make_coupon(db)
    applied(client, user, code)
    db.execute(
        "UPDATE store.coupons SET valid_until = now() - interval '1 minute' WHERE id = %s",
        (coupon_id,),
    )

    shown = cart(client, user)
    assert shown["coupon"]["code"] == code
    assert (shown["discount"], shown["total"]) == (0, 29900 + 4000)
    validation = client.post("/cart/validate", headers=user.headers).json()
    assert validation["valid"] is True
    assert [issue["code"] for issue in validation["issues"]] == ["coupon_invalid"]
    assert validation["issues"][0]["detail"].startswith(f"{code} expired on ")
    assert validation["discount"] == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"code": ""}, {"code": 10}, {"code": "WELCOME10", "discount": 1}, {"code": "A" * 65}],
    ids=["missing", "empty", "number", "unknown-field", "too-long"],
)
def test_a_malformed_body_is_a_validation_error(client, user, body):
    answer = client.post("/coupons/apply", json=body, headers=user.headers)

    assert_problem(answer, 422, "validation_error")


def test_a_blank_code_is_a_validation_error_naming_the_field(client, user):
    problem = assert_problem(apply(client, user, "   "), 422, "validation_error")

    assert problem["errors"] == [{"field": "code", "message": "code must not be blank"}]


def test_applying_needs_a_token(client):
    answer = client.post("/coupons/apply", json={"code": "WELCOME10"})

    assert_problem(answer, 401, "unauthorized")
