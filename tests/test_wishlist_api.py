"""Shopping for a child and saving for later, over real HTTP: the wishlist (docs/api.md "User
profile"), GET /users/me/children/{id}/recommendations, and the child_id filter of GET /products
(docs/api.md "Products"). Products are made for this module in a category of their own, and removed
after it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import LARGEST_ID, assert_problem
from tests.helpers_users import HOT, Products, months_ago, new_user, put_in_cart

WISHLIST_ITEM_FIELDS = {
    "id",
    "name",
    "slug",
    "brand",
    "price",
    "mrp",
    "image_url",
    "category_id",
    "age_min_months",
    "age_max_months",
    "gender",
    "in_stock",
    "stock",
    "added_at",
}


@pytest.fixture(scope="module")
def products(db_url: str) -> Iterator[Products]:
    made = Products(db_url)
    yield made
    made.remove_all()


@pytest.fixture
def user(client):
    return new_user(client)


def wishlist(client, user) -> list[dict]:
    response = client.get("/users/me/wishlist", headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def save(client, user, product_id: int):
    return client.post("/users/me/wishlist", json={"product_id": product_id}, headers=user.headers)


def add_child(client, user, age_months: int) -> int:
    body = {"name": "Kid", "date_of_birth": months_ago(age_months).isoformat()}
    response = client.post("/users/me/children", json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


# --- wishlist ----------------------------------------------------------------------------------


def test_wishlist_save_list_remove(client, user, products):
    train = products.make("Wishlist Train", stock=4, price=129900)
    kite = products.make("Wishlist Kite", stock=0)

    saved = save(client, user, train)
    assert saved.status_code == 201, saved.text
    item = saved.json()["items"][0]
    assert set(item) == WISHLIST_ITEM_FIELDS
    product = client.get(f"/products/{train}").json()
    assert {key: item[key] for key in WISHLIST_ITEM_FIELDS - {"added_at"}} == {
        key: product[key] for key in WISHLIST_ITEM_FIELDS - {"added_at"}
    }
    assert (item["price"], item["stock"], item["in_stock"]) == (129900, 4, True)

    both = save(client, user, kite).json()["items"]
    assert [i["id"] for i in both] == [kite, train], "newest first"
    assert (both[0]["stock"], both[0]["in_stock"]) == (0, False), "out of stock may be saved"
    assert wishlist(client, user) == both

    removed = client.delete(f"/users/me/wishlist/{kite}", headers=user.headers)
    assert removed.status_code == 200, removed.text
    assert [i["id"] for i in removed.json()["items"]] == [train]
    assert wishlist(client, user) == removed.json()["items"]


def test_saving_twice_is_not_an_error_and_keeps_one_entry(client, db, user, products):
    train = products.make("Saved twice")

    first = save(client, user, train)
    second = save(client, user, train)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json(), "same entry, same added_at"
    count = db.execute(
        "SELECT count(*) FROM store.wishlists WHERE user_id = %s", (user.id,)
    ).fetchone()[0]
    assert count == 1


def test_removing_a_product_not_in_the_wishlist_is_not_an_error(client, user, products):
    train = products.make("Never saved")

    for product_id in (train, LARGEST_ID):
        response = client.delete(f"/users/me/wishlist/{product_id}", headers=user.headers)
        assert response.status_code == 200 and response.json() == {"items": []}


def test_an_inactive_product_leaves_the_wishlist_without_breaking_it(client, db, user, products):
    kept = products.make("Still sold")
    retired = products.make("Retired")
    save(client, user, kept)
    save(client, user, retired)

    db.execute("UPDATE store.products SET is_active = FALSE WHERE id = %s", (retired,))
    assert [i["id"] for i in wishlist(client, user)] == [kept]

    db.execute("UPDATE store.products SET is_active = TRUE WHERE id = %s", (retired,))
    assert [i["id"] for i in wishlist(client, user)] == [retired, kept]


def test_the_wishlist_shows_the_current_price_and_stock(client, db, user, products):
    train = products.make("Price moves", price=50000, stock=9)
    save(client, user, train)

    db.execute("UPDATE store.products SET price = 45000 WHERE id = %s", (train,))
    db.execute("UPDATE store.inventory SET on_hand = 2 WHERE product_id = %s", (train,))

    assert [(i["price"], i["stock"]) for i in wishlist(client, user)] == [(45000, 2)]


def test_saving_an_unknown_or_inactive_product_is_not_found(client, user, products):
    inactive = products.make("Not sold", active=False)

    for product_id in (inactive, LARGEST_ID):
        assert_problem(save(client, user, product_id), 404, "product_not_found")
    assert wishlist(client, user) == []


def test_a_wishlist_belongs_to_its_user(client, user, products):
    other = new_user(client)
    train = products.make("Mine only")
    save(client, other, train)

    assert wishlist(client, user) == []
    client.delete(f"/users/me/wishlist/{train}", headers=user.headers)
    assert [i["id"] for i in wishlist(client, other)] == [train]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"product_id": "1"}, "product_id"),
        ({"product_id": 0}, "product_id"),
        ({}, "product_id"),
        ({"product_id": 1, "user_id": 1}, "user_id"),
    ],
)
def test_wishlist_body_validation(client, user, body, field):
    response = client.post("/users/me/wishlist", json=body, headers=user.headers)

    problem = assert_problem(response, 422, "validation_error")
    assert [error["field"] for error in problem["errors"]] == [field]


# --- recommendations -------------------------------------------------------------------------


def recommendations(client, user, child_id: int, **params):
    return client.get(
        f"/users/me/children/{child_id}/recommendations", params=params, headers=user.headers
    )


def test_recommendations_rank_in_stock_products_for_the_age_and_skip_cart_and_wishlist(
    client, db, user, products
):
    other = new_user(client)
    child = add_child(client, user, 30)
    first = products.make("Rec first", ages=(20, 40), sales=HOT + 5)
    second = products.make("Rec second", ages=(30, 30), sales=HOT + 4, stock=1)
    theirs = products.make("In another cart", sales=HOT + 3)
    left_out = {
        "in my cart": products.make("Rec in my cart", sales=HOT + 20),
        "in my wishlist": products.make("Rec in my wishlist", sales=HOT + 21),
        "out of stock": products.make("Rec sold out", sales=HOT + 22, stock=0),
        "too young": products.make("Rec baby", ages=(0, 29), sales=HOT + 23),
        "too old": products.make("Rec big kid", ages=(31, 216), sales=HOT + 24),
        "inactive": products.make("Rec inactive", sales=HOT + 25, active=False),
    }
    put_in_cart(db, user.id, left_out["in my cart"])
    save(client, user, left_out["in my wishlist"])
    put_in_cart(db, other.id, theirs)
    save(client, other, theirs)

    response = recommendations(client, user, child, limit=50)

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    ids = [item["id"] for item in items]
    assert ids[:3] == [first, second, theirs]
    assert not set(ids) & set(left_out.values()), {
        name for name, pid in left_out.items() if pid in ids
    }
    assert len(items) == 50
    assert all(i["in_stock"] and i["age_min_months"] <= 30 <= i["age_max_months"] for i in items)
    db.execute("DELETE FROM store.cart_items WHERE user_id IN (%s, %s)", (user.id, other.id))


def test_recommendations_limit(client, user):
    child = add_child(client, user, 24)

    assert len(recommendations(client, user, child).json()["items"]) == 20
    assert len(recommendations(client, user, child, limit=1).json()["items"]) == 1
    for limit in (0, 51, "many"):
        problem = assert_problem(
            recommendations(client, user, child, limit=limit), 422, "validation_error"
        )
        assert [error["field"] for error in problem["errors"]] == ["limit"]


def test_recommendations_for_another_users_child_are_not_found(client, user):
    other = new_user(client)
    theirs = add_child(client, other, 24)

    assert_problem(recommendations(client, user, theirs), 404, "child_not_found")
    assert_problem(recommendations(client, user, LARGEST_ID), 404, "child_not_found")


# --- GET /products?child_id= -------------------------------------------------------------------


def test_child_id_filters_exactly_as_the_childs_age(client, user, products):
    child = add_child(client, user, 40)

    by_child = client.get(
        "/products", params={"child_id": child, "page_size": 100}, headers=user.headers
    )
    by_age = client.get("/products", params={"age_months": 40, "page_size": 100})

    assert by_child.status_code == 200, by_child.text
    assert by_child.json() == by_age.json()
    assert by_child.json()["total"] < client.get("/products").json()["total"]


def test_child_id_in_a_category(client, user, products):
    baby = products.make("Filter baby", ages=(0, 12))
    toddler = products.make("Filter toddler", ages=(12, 36))
    products.make("Filter big", ages=(37, 216))
    child = add_child(client, user, 12)
    params = {"child_id": child, "category_id": products.category_id, "sort": "newest"}

    items = client.get("/products", params=params, headers=user.headers).json()["items"]

    assert {i["id"] for i in items} >= {baby, toddler}
    assert all(i["age_min_months"] <= 12 <= i["age_max_months"] for i in items)


def test_child_id_needs_a_token(client, user):
    child = add_child(client, user, 12)

    assert_problem(client.get("/products", params={"child_id": child}), 401, "unauthorized")


def test_child_id_of_another_user_is_not_found(client, user):
    other = new_user(client)
    theirs = add_child(client, other, 12)

    for child_id in (theirs, LARGEST_ID):
        response = client.get("/products", params={"child_id": child_id}, headers=user.headers)
        assert_problem(response, 404, "child_not_found")


def test_child_id_with_age_months_is_refused(client, user):
    child = add_child(client, user, 12)
    params = {"child_id": child, "age_months": 12}

    problem = assert_problem(
        client.get("/products", params=params, headers=user.headers), 422, "validation_error"
    )
    assert [error["field"] for error in problem["errors"]] == ["child_id"]


def test_products_with_a_token_but_no_child_id_list_as_without(client, user):
    params = {"page_size": 5, "sort": "price_asc"}

    with_token = client.get("/products", params=params, headers=user.headers)

    assert with_token.status_code == 200
    assert with_token.json() == client.get("/products", params=params).json()


@pytest.mark.parametrize("authorization", ["Bearer not-a-token", "Basic abc"])
def test_products_with_a_bad_token_are_unauthorized(client, authorization):
    response = client.get("/products", headers={"Authorization": authorization})

    assert_problem(response, 401, "unauthorized")


def test_products_with_a_closed_accounts_token_are_unauthorized(client, db):
    closed = new_user(client)
    db.execute("UPDATE store.users SET deleted_at = now() WHERE id = %s", (closed.id,))

    assert_problem(client.get("/products", headers=closed.headers), 401, "unauthorized")
