"""The cart over real HTTP (docs/api.md "Cart"): GET /cart, POST /cart/items, PUT and DELETE
/cart/items/{id}, POST /cart/validate. Every answer is the cart body, every error is
problem+json, another user's line is a 404 and stays as it was, and every endpoint wants a live
account. Products are made by each test in a category of this module, with a known stock."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from tests.conftest import LARGEST_ID, assert_problem
from tests.helpers_cart import Shopper, make_product, shopper

CART_FIELDS = {
    "id",
    "items",
    "item_count",
    "subtotal",
    "coupon",
    "discount",
    "shipping",
    "total",
    "currency",
}
LINE_FIELDS = {
    "id",
    "product_id",
    "name",
    "image_url",
    "unit_price",
    "quantity",
    "line_total",
    "available_quantity",
}


@pytest.fixture
def product(db: psycopg.Connection, category: int):
    """Makes a product: product(price=..., stock=..., name=..., active=...) -> id."""
    return lambda **fields: make_product(db, category, **fields)


@pytest.fixture
def user(client: httpx.Client) -> Shopper:
    return shopper(client)


def add(client: httpx.Client, user: Shopper, product_id: int, quantity: int) -> httpx.Response:
    return client.post(
        "/cart/items", json={"product_id": product_id, "quantity": quantity}, headers=user.headers
    )


def added(client: httpx.Client, user: Shopper, product_id: int, quantity: int) -> dict:
    answer = add(client, user, product_id, quantity)
    assert answer.status_code == 201, answer.text
    return answer.json()


def cart(client: httpx.Client, user: Shopper) -> dict:
    answer = client.get("/cart", headers=user.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def line_of(body: dict, product_id: int) -> dict:
    return next(line for line in body["items"] if line["product_id"] == product_id)


# --- GET /cart ------------------------------------------------------------------------------


def test_a_new_user_has_an_empty_cart(client, user):
    answer = client.get("/cart", headers=user.headers)

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert set(body) == CART_FIELDS
    assert isinstance(body["id"], int)
    assert {key: value for key, value in body.items() if key != "id"} == {
        "items": [],
        "item_count": 0,
        "subtotal": 0,
        "coupon": None,
        "discount": 0,
        "shipping": 0,
        "total": 0,
        "currency": "INR",
    }
    assert cart(client, user)["id"] == body["id"], "one cart per user"


def test_two_users_have_two_carts(client, user):
    other = shopper(client)

    assert cart(client, user)["id"] != cart(client, other)["id"]


# --- POST /cart/items ------------------------------------------------------------------------


def test_adding_answers_201_with_the_cart(client, user, product):
    train = product(name="Wooden Train Set", price=129900, stock=8)

    body = added(client, user, train, 2)

    assert set(body) == CART_FIELDS
    assert len(body["items"]) == 1
    line = body["items"][0]
    assert set(line) == LINE_FIELDS
    assert line["product_id"] == train and line["name"] == "Wooden Train Set"
    assert line["image_url"].startswith("https://")
    assert (line["unit_price"], line["quantity"], line["line_total"]) == (129900, 2, 259800)
    assert line["available_quantity"] == 8, "the cart reserves nothing"
    assert (body["item_count"], body["subtotal"], body["shipping"], body["total"]) == (
        2,
        259800,
        0,
        259800,
    )
    assert cart(client, user) == body


def test_the_same_product_again_adds_to_its_line(client, user, product):
    ball = product(price=19900, stock=20)

    first = added(client, user, ball, 2)
    second = added(client, user, ball, 3)

    assert len(second["items"]) == 1
    assert second["items"][0]["id"] == first["items"][0]["id"]
    assert second["items"][0]["quantity"] == 5 and second["item_count"] == 5


def test_totals_and_shipping(client, user, product):
    ball = product(price=19900, stock=20)
    kite = product(price=12345, stock=20)

    body = added(client, user, ball, 2)
    assert (body["subtotal"], body["shipping"], body["total"]) == (39800, 4000, 43800)

    body = added(client, user, kite, 1)
    assert [line["line_total"] for line in body["items"]] == [39800, 12345]
    assert body["item_count"] == 3
    assert (body["subtotal"], body["discount"], body["shipping"], body["total"]) == (
        52145,
        0,
        0,
        52145,
    ), "from ₹499 shipping is free"


def test_a_line_holds_at_most_10_units(client, user, product):
    ball = product(stock=50)

    problem = assert_problem(add(client, user, ball, 11), 422, "quantity_limit_exceeded")
    assert problem["errors"] and problem["errors"][0]["field"] == "quantity"

    assert added(client, user, ball, 10)["item_count"] == 10
    problem = assert_problem(add(client, user, ball, 1), 422, "quantity_limit_exceeded")
    assert "10" in problem["detail"]
    assert cart(client, user)["item_count"] == 10, "the refused add changed nothing"


def test_more_than_available_is_insufficient_stock(client, db, user, product):
    train = product(name="Wooden Train Set", stock=3)
    db.execute("UPDATE store.inventory SET on_hand = 2 WHERE product_id = %s", (train,))

    problem = assert_problem(add(client, user, train, 3), 409, "insufficient_stock")

    assert problem["detail"] == "Only 2 units of 'Wooden Train Set' are available"
    assert problem["title"] == "Conflict"
    assert added(client, user, train, 2)["items"][0]["available_quantity"] == 2


def test_an_unknown_or_inactive_product_is_not_found(client, user, product):
    inactive = product(active=False)

    assert_problem(add(client, user, inactive, 1), 404, "product_not_found")
    assert_problem(add(client, user, LARGEST_ID, 1), 404, "product_not_found")
    assert cart(client, user)["items"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"product_id": 1, "quantity": 0},
        {"product_id": 1, "quantity": -1},
        {"product_id": 1},
        {"quantity": 1},
        {"product_id": "1", "quantity": 1},
        {"product_id": 1, "quantity": True},
        {"product_id": 1, "quantity": 1.5},
        {"product_id": 1, "quantity": 1, "price": 1},
        {"product_id": 0, "quantity": 1},
        {"product_id": 1, "quantity": 2**31},
    ],
    ids=[
        "zero",
        "negative",
        "no-quantity",
        "no-product",
        "string-id",
        "boolean",
        "fraction",
        "unknown-field",
        "id-zero",
        "over-int",
    ],
)
def test_a_malformed_add_is_a_validation_error(client, user, body):
    assert_problem(
        client.post("/cart/items", json=body, headers=user.headers), 422, "validation_error"
    )


def test_an_integral_json_number_is_an_integer_as_json_schema_says(client, user, product):
    ball = product(price=10000, stock=20)
    answer = client.post(
        "/cart/items", json={"product_id": float(ball), "quantity": 2.0}, headers=user.headers
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["items"][0]["quantity"] == 2


# --- PUT /cart/items/{id} --------------------------------------------------------------------


def test_put_sets_the_quantity(client, user, product):
    ball = product(price=10000, stock=20)
    item_id = added(client, user, ball, 2)["items"][0]["id"]

    answer = client.put(f"/cart/items/{item_id}", json={"quantity": 7}, headers=user.headers)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == CART_FIELDS
    assert body["items"][0]["quantity"] == 7 and body["subtotal"] == 70000
    assert cart(client, user) == body


def test_put_0_removes_the_line(client, user, product):
    ball, kite = product(stock=5), product(stock=5)
    added(client, user, ball, 1)
    item_id = line_of(added(client, user, kite, 1), kite)["id"]

    answer = client.put(f"/cart/items/{item_id}", json={"quantity": 0}, headers=user.headers)

    assert answer.status_code == 200, answer.text
    assert [line["product_id"] for line in answer.json()["items"]] == [ball]


def test_put_checks_the_cap_and_the_stock(client, user, product):
    train = product(name="Wooden Train Set", stock=4)
    item_id = added(client, user, train, 1)["items"][0]["id"]

    assert_problem(
        client.put(f"/cart/items/{item_id}", json={"quantity": 11}, headers=user.headers),
        422,
        "quantity_limit_exceeded",
    )
    problem = assert_problem(
        client.put(f"/cart/items/{item_id}", json={"quantity": 5}, headers=user.headers),
        409,
        "insufficient_stock",
    )
    assert problem["detail"] == "Only 4 units of 'Wooden Train Set' are available"
    assert_problem(
        client.put(f"/cart/items/{item_id}", json={"quantity": -1}, headers=user.headers),
        422,
        "validation_error",
    )
    assert cart(client, user)["items"][0]["quantity"] == 1


# --- DELETE /cart/items/{id} -----------------------------------------------------------------


def test_delete_removes_the_line_and_answers_the_cart(client, user, product):
    ball, kite = product(price=10000), product(price=20000)
    added(client, user, ball, 1)
    item_id = line_of(added(client, user, kite, 2), kite)["id"]

    answer = client.delete(f"/cart/items/{item_id}", headers=user.headers)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [line["product_id"] for line in body["items"]] == [ball]
    assert (body["subtotal"], body["shipping"], body["total"]) == (10000, 4000, 14000)
    assert_problem(
        client.delete(f"/cart/items/{item_id}", headers=user.headers), 404, "cart_item_not_found"
    )


# --- another user's line ---------------------------------------------------------------------


def test_another_users_line_is_not_found_and_stays_as_it_was(client, user, product):
    owner = shopper(client)
    ball = product(stock=10)
    item_id = added(client, owner, ball, 3)["items"][0]["id"]
    before = cart(client, owner)

    put = client.put(f"/cart/items/{item_id}", json={"quantity": 1}, headers=user.headers)
    remove = client.put(f"/cart/items/{item_id}", json={"quantity": 0}, headers=user.headers)
    delete = client.delete(f"/cart/items/{item_id}", headers=user.headers)

    for answer in (put, remove, delete):
        problem = assert_problem(answer, 404, "cart_item_not_found")
        assert problem["detail"] == f"No cart item with id {item_id}"
    unknown = client.delete(f"/cart/items/{LARGEST_ID}", headers=user.headers)
    assert assert_problem(unknown, 404, "cart_item_not_found")["detail"] == (
        f"No cart item with id {LARGEST_ID}"
    ), "exactly as a line that does not exist"
    assert cart(client, owner) == before
    assert cart(client, user)["items"] == []


@pytest.mark.parametrize("item_id", ["0", "abc", str(2**63)])
def test_a_malformed_item_id_is_a_validation_error(client, user, item_id):
    assert_problem(
        client.delete(f"/cart/items/{item_id}", headers=user.headers), 422, "validation_error"
    )


# --- POST /cart/validate ---------------------------------------------------------------------


def validate(client: httpx.Client, user: Shopper) -> dict:
    answer = client.post("/cart/validate", headers=user.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"valid", "issues", "subtotal", "discount", "shipping", "total"}
    return body


def test_validate_a_cart_that_can_be_ordered(client, user, product):
    body = added(client, user, product(price=30000, stock=5), 2)

    assert validate(client, user) == {
        "valid": True,
        "issues": [],
        "subtotal": body["subtotal"],
        "discount": body["discount"],
        "shipping": body["shipping"],
        "total": body["total"],
    }


def test_validate_an_empty_cart(client, user):
    body = validate(client, user)

    assert body["valid"] is False
    assert body["issues"] == [
        {"item_id": None, "product_id": None, "code": "cart_empty", "detail": "Your cart is empty"}
    ]


def test_validate_reports_what_changed_since_the_lines_were_added(client, db, user, product):
    gone = product(name="Old Rattle", stock=5)
    short = product(name="Wooden Train Set", stock=5)
    sold_out = product(name="Rocking Horse", stock=5)
    dearer = product(name="Kite", price=19900, stock=5)
    for product_id in (gone, short, sold_out, dearer):
        added(client, user, product_id, 3)
    lines = {line["product_id"]: line["id"] for line in cart(client, user)["items"]}
    db.execute("UPDATE store.products SET is_active = FALSE WHERE id = %s", (gone,))
    db.execute("UPDATE store.inventory SET on_hand = 2 WHERE product_id = %s", (short,))
    db.execute("UPDATE store.inventory SET on_hand = 0 WHERE product_id = %s", (sold_out,))
    db.execute("UPDATE store.products SET price = 24900, mrp = 24900 WHERE id = %s", (dearer,))

    body = validate(client, user)

    assert body["valid"] is False
    assert body["issues"] == [
        {
            "item_id": lines[gone],
            "product_id": gone,
            "code": "product_unavailable",
            "detail": "'Old Rattle' is no longer sold; remove it from the cart",
        },
        {
            "item_id": lines[short],
            "product_id": short,
            "code": "insufficient_stock",
            "detail": "Only 2 units of 'Wooden Train Set' are available",
        },
        {
            "item_id": lines[sold_out],
            "product_id": sold_out,
            "code": "out_of_stock",
            "detail": "'Rocking Horse' is out of stock",
        },
        {
            "item_id": lines[dearer],
            "product_id": dearer,
            "code": "price_changed",
            "detail": "The price of 'Kite' changed from ₹199 to ₹249",
        },
    ]
    shown = cart(client, user)
    assert line_of(shown, dearer)["unit_price"] == 24900, "the cart shows the current price"
    assert line_of(shown, gone)["available_quantity"] == 0, "the inactive line stays listed"
    assert body["total"] == shown["total"]


def test_a_price_change_alone_is_a_notice(client, db, user, product):
    kite = product(price=19900, stock=5)
    item_id = added(client, user, kite, 1)["items"][0]["id"]
    db.execute("UPDATE store.products SET price = 17900, mrp = 17900 WHERE id = %s", (kite,))

    body = validate(client, user)

    assert body["valid"] is True
    assert [(issue["item_id"], issue["code"]) for issue in body["issues"]] == [
        (item_id, "price_changed")
    ]
    assert body["subtotal"] == 17900, "the order is placed at the current price"


# --- auth ------------------------------------------------------------------------------------

CART_CALLS = [
    ("GET", "/cart", None),
    ("POST", "/cart/items", {"product_id": 1, "quantity": 1}),
    ("PUT", "/cart/items/1", {"quantity": 1}),
    ("DELETE", "/cart/items/1", None),
    ("POST", "/cart/validate", None),
]
CART_CALL_IDS = ["get", "add", "put", "delete", "validate"]


@pytest.mark.parametrize(("method", "path", "body"), CART_CALLS, ids=CART_CALL_IDS)
def test_the_cart_needs_a_token(client, method, path, body):
    answer = client.request(method, path, json=body)

    assert_problem(answer, 401, "unauthorized")
    assert answer.headers["www-authenticate"].startswith("Bearer")


@pytest.fixture(scope="module")
def closed_account(server, db_url: str) -> Shopper:
    """A user who logged in, then closed the account: the token is still well signed."""
    with httpx.Client(base_url=server.base_url + "/api/v1", timeout=10) as http:
        closed = shopper(http)
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("UPDATE store.users SET deleted_at = now() WHERE id = %s", (closed.id,))
    return closed


@pytest.mark.parametrize(("method", "path", "body"), CART_CALLS, ids=CART_CALL_IDS)
def test_a_closed_account_is_unauthorized(client, db, closed_account, method, path, body):
    answer = client.request(method, path, json=body, headers=closed_account.headers)

    assert_problem(answer, 401, "unauthorized")
    carts = db.execute("SELECT count(*) FROM store.carts WHERE user_id = %s", (closed_account.id,))
    assert carts.fetchone()[0] == 0
