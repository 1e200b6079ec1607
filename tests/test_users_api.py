"""The user profile over real HTTP (docs/api.md "User profile"): GET/PUT /users/me, addresses and
children. Another user's address or child answers 404 and stays as it was; fields that are not
writable (phone, is_staff, user_id...) answer 422 and change nothing; a closed account is refused on
every endpoint of the users tag. Wishlist, recommendations and the child filter of GET /products are
in test_wishlist_api.py."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import psycopg
import pytest
import yaml
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from tests.conftest import API, LARGEST_ID, ROOT, assert_problem
from tests.helpers_users import ADDRESS, address_body, months_ago, new_user, today

ADDRESS_FIELDS = {
    "id",
    "name",
    "phone",
    "line1",
    "line2",
    "landmark",
    "city",
    "state",
    "pincode",
    "is_default",
}
CHILD_FIELDS = {"id", "name", "date_of_birth", "gender", "age_months"}


@pytest.fixture
def user(client):
    return new_user(client)


@pytest.fixture
def other(client):
    return new_user(client)


def user_row(db: psycopg.Connection, user_id: int) -> dict:
    with db.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM store.users WHERE id = %s", (user_id,)).fetchone()


def address_row(db: psycopg.Connection, address_id: int) -> dict:
    with db.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM store.addresses WHERE id = %s", (address_id,)).fetchone()


def child_row(db: psycopg.Connection, child_id: int) -> dict | None:
    with db.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM store.children WHERE id = %s", (child_id,)).fetchone()


def add_address(client, user, **changes) -> dict:
    response = client.post(
        "/users/me/addresses", json=address_body(**changes), headers=user.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def addresses(client, user) -> list[dict]:
    response = client.get("/users/me/addresses", headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def default_ids(client, user) -> list[int]:
    return [a["id"] for a in addresses(client, user) if a["is_default"]]


def add_child(client, user, name="Anaya", born=None, gender="girl") -> dict:
    body = {"name": name, "date_of_birth": (born or months_ago(30)).isoformat(), "gender": gender}
    response = client.post("/users/me/children", json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    return response.json()


# --- GET and PUT /users/me -------------------------------------------------------------------


def test_put_me_sets_name_and_email_and_answers_the_profile(client, user):
    response = client.put(
        "/users/me", json={"name": "  Asha Rao ", "email": "Asha@Example.COM"}, headers=user.headers
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"id", "phone", "name", "email", "created_at"}
    assert (body["id"], body["phone"]) == (user.id, user.phone)
    assert (body["name"], body["email"]) == ("Asha Rao", "asha@example.com")
    assert client.get("/users/me", headers=user.headers).json() == body


def test_put_me_with_one_field_keeps_the_other(client, user):
    client.put(
        "/users/me", json={"name": "Asha", "email": "asha@example.com"}, headers=user.headers
    )

    renamed = client.put("/users/me", json={"name": "Asha Rao"}, headers=user.headers).json()
    assert (renamed["name"], renamed["email"]) == ("Asha Rao", "asha@example.com")
    emailed = client.put("/users/me", json={"email": "a.rao@example.in"}, headers=user.headers)
    assert (emailed.json()["name"], emailed.json()["email"]) == ("Asha Rao", "a.rao@example.in")
    unchanged = client.put("/users/me", json={}, headers=user.headers)
    assert unchanged.status_code == 200 and unchanged.json() == emailed.json()


@pytest.mark.parametrize(
    "extra",
    [
        {"phone": "+919999999999"},
        {"is_staff": True},
        {"user_id": 1},
        {"id": 1},
        {"token_version": 7},
        {"deleted_at": "2020-01-01T00:00:00Z"},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"is_default": True},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_put_me_refuses_fields_that_are_not_writable_and_changes_nothing(client, db, user, extra):
    before = user_row(db, user.id)

    response = client.put("/users/me", json={"name": "Mallory", **extra}, headers=user.headers)

    problem = assert_problem(response, 422, "validation_error")
    assert next(iter(extra)) in {error["field"] for error in problem["errors"]}
    assert user_row(db, user.id) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"name": 42}, "name"),
        ({"email": "asha"}, "email"),
        ({"email": "asha@example"}, "email"),
        ({"email": "a" * 250 + "@x.in"}, "email"),
    ],
)
def test_put_me_validation_names_the_field_and_changes_nothing(client, db, user, body, field):
    before = user_row(db, user.id)

    problem = assert_problem(
        client.put("/users/me", json=body, headers=user.headers), 422, "validation_error"
    )

    assert [error["field"] for error in problem["errors"]] == [field]
    assert user_row(db, user.id) == before


# --- a closed account and a missing token, on every endpoint of the users tag ----------------


def users_endpoints() -> list[dict]:
    spec = yaml.safe_load((ROOT / "api_spec.yaml").read_text())
    return [ep for ep in spec["endpoints"] if ep["tag"] == "users"]


def request_for(endpoint: dict) -> tuple[str, str, dict | None]:
    """A request to the endpoint that passes input validation: path ids 1, body examples."""
    path = endpoint["path"]
    for name in endpoint.get("path_params") or {}:
        path = path.replace("{" + name + "}", "1")
    body = {name: field["example"] for name, field in (endpoint.get("body") or {}).items()}
    return endpoint["method"], path, body if endpoint.get("body") else None


@pytest.mark.parametrize("endpoint", users_endpoints(), ids=lambda ep: ep["operation"])
def test_every_users_endpoint_refuses_a_closed_account(client, db, endpoint):
    closed = new_user(client)
    db.execute("UPDATE store.users SET deleted_at = now() WHERE id = %s", (closed.id,))
    method, path, body = request_for(endpoint)

    response = client.request(method, path, json=body, headers=closed.headers)

    assert_problem(response, 401, "unauthorized")


@pytest.mark.parametrize("endpoint", users_endpoints(), ids=lambda ep: ep["operation"])
def test_every_users_endpoint_needs_a_token(client, endpoint):
    method, path, body = request_for(endpoint)

    assert_problem(client.request(method, path, json=body), 401, "unauthorized")


def test_the_users_tag_covers_profile_addresses_children_and_wishlist():
    operations = {ep["operation"] for ep in users_endpoints()}

    assert operations == {
        "get_me",
        "update_me",
        "list_addresses",
        "create_address",
        "update_address",
        "delete_address",
        "list_children",
        "create_child",
        "update_child",
        "delete_child",
        "child_recommendations",
        "list_wishlist",
        "add_to_wishlist",
        "remove_from_wishlist",
    }


# --- addresses ---------------------------------------------------------------------------------


def test_address_create_list_replace_delete(client, user):
    created = client.post("/users/me/addresses", json=ADDRESS, headers=user.headers)
    assert created.status_code == 201, created.text
    address = created.json()
    assert set(address) == ADDRESS_FIELDS
    assert address == {
        **ADDRESS,
        "id": address["id"],
        "phone": "+919876543210",
        "is_default": True,
    }
    assert addresses(client, user) == [address]

    replaced = client.put(
        f"/users/me/addresses/{address['id']}",
        json=address_body(name="Ravi", line2=None, landmark=None, city="Mysuru", pincode="570001"),
        headers=user.headers,
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json() == {
        **address,
        "name": "Ravi",
        "line2": None,
        "landmark": None,
        "city": "Mysuru",
        "pincode": "570001",
    }
    assert addresses(client, user) == [replaced.json()]

    deleted = client.delete(f"/users/me/addresses/{address['id']}", headers=user.headers)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"items": []}
    assert addresses(client, user) == []


def test_address_phone_is_normalised_and_the_state_spelled_as_listed(client, user):
    address = add_address(client, user, phone="9812345678", state="Tamil Nadu", pincode="600001")

    assert (address["phone"], address["state"]) == ("+919812345678", "Tamil Nadu")
    # The API takes the names exactly as its OpenAPI enum lists them (the procedure itself
    # also matches them case-blind: db/tests/checked_address/normalise.test.sql).
    response = client.post(
        "/users/me/addresses", json=address_body(state=" tamil nadu "), headers=user.headers
    )
    problem = assert_problem(response, 422, "validation_error")
    assert [error["field"] for error in problem["errors"]] == ["state"]
    assert "Tamil Nadu" in problem["detail"]


def test_the_first_address_is_the_default_and_is_default_moves_it(client, user):
    first = add_address(client, user, name="First", is_default=False)
    second = add_address(client, user, name="Second")
    assert (first["is_default"], second["is_default"]) == (True, False)
    assert default_ids(client, user) == [first["id"]]

    third = add_address(client, user, name="Third", is_default=True)
    assert third["is_default"] is True
    assert default_ids(client, user) == [third["id"]]

    moved = client.put(
        f"/users/me/addresses/{second['id']}",
        json=address_body(name="Second", is_default=True),
        headers=user.headers,
    )
    assert moved.json()["is_default"] is True
    listed = addresses(client, user)
    assert [a["id"] for a in listed] == [second["id"], third["id"], first["id"]]  # default first
    assert default_ids(client, user) == [second["id"]]

    kept = client.put(
        f"/users/me/addresses/{second['id']}",
        json=address_body(name="Second", is_default=False),
        headers=user.headers,
    )
    assert kept.json()["is_default"] is True, "the default stays until another one is chosen"


def test_deleting_the_default_promotes_the_newest_remaining_address(client, user):
    oldest = add_address(client, user, name="Oldest")
    newest = add_address(client, user, name="Newest")
    default = add_address(client, user, name="Default", is_default=True)

    remaining = client.delete(f"/users/me/addresses/{default['id']}", headers=user.headers).json()

    assert [(a["id"], a["is_default"]) for a in remaining["items"]] == [
        (newest["id"], True),
        (oldest["id"], False),
    ]


def test_concurrent_creates_leave_exactly_one_default(client, db, server, user):
    def create(n: int) -> int:
        with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
            body = address_body(name=f"Parallel {n}", is_default=True)
            return http.post("/users/me/addresses", json=body, headers=user.headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(8)))

    assert statuses == [201] * 8
    assert len(addresses(client, user)) == 8
    assert len(default_ids(client, user)) == 1
    defaults = db.execute(
        "SELECT count(*) FROM store.addresses WHERE user_id = %s AND is_default", (user.id,)
    ).fetchone()[0]
    assert defaults == 1


def test_another_users_address_is_not_found_and_stays_unchanged(client, db, user, other):
    theirs = add_address(client, other, name="Theirs")
    before = address_row(db, theirs["id"])

    put = client.put(
        f"/users/me/addresses/{theirs['id']}",
        json=address_body(name="Mallory", is_default=True),
        headers=user.headers,
    )
    assert_problem(put, 404, "address_not_found")
    delete = client.delete(f"/users/me/addresses/{theirs['id']}", headers=user.headers)
    assert_problem(delete, 404, "address_not_found")

    assert address_row(db, theirs["id"]) == before
    assert addresses(client, user) == []
    assert addresses(client, other) == [theirs]


def test_a_deleted_or_unknown_address_is_not_found(client, user):
    address = add_address(client, user)
    client.delete(f"/users/me/addresses/{address['id']}", headers=user.headers)

    for path in (f"/users/me/addresses/{address['id']}", f"/users/me/addresses/{LARGEST_ID}"):
        assert_problem(
            client.put(path, json=ADDRESS, headers=user.headers), 404, "address_not_found"
        )
        assert_problem(client.delete(path, headers=user.headers), 404, "address_not_found")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pincode": "012345"}, "pincode"),
        ({"pincode": "56003"}, "pincode"),
        ({"pincode": "5600AB"}, "pincode"),
        ({"state": "Bombay"}, "state"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "5876543210"}, "phone"),
        ({"name": "  "}, "name"),
        ({"line1": "x" * 201}, "line1"),
        ({"landmark": "x" * 201}, "landmark"),
        ({"city": None}, "city"),
        ({"pincode": 560038}, "pincode"),
        ({"is_default": "yes"}, "is_default"),
    ],
)
def test_address_validation_names_the_field_and_stores_nothing(client, user, changes, field):
    response = client.post(
        "/users/me/addresses", json=address_body(**changes), headers=user.headers
    )

    problem = assert_problem(response, 422, "validation_error")
    assert [error["field"] for error in problem["errors"]] == [field]
    assert addresses(client, user) == []


def test_a_refused_address_update_changes_nothing(client, db, user):
    address = add_address(client, user)
    before = address_row(db, address["id"])

    response = client.put(
        f"/users/me/addresses/{address['id']}",
        json=address_body(name="Changed", pincode="000000"),
        headers=user.headers,
    )

    assert_problem(response, 422, "validation_error")
    assert address_row(db, address["id"]) == before


@pytest.mark.parametrize(
    "extra", [{"user_id": 1}, {"id": 99}, {"deleted_at": None}], ids=lambda e: next(iter(e))
)
def test_address_fields_that_are_not_writable_are_refused(client, db, user, other, extra):
    address = add_address(client, user)
    before = address_row(db, address["id"])
    extra = {key: other.id if key == "user_id" else value for key, value in extra.items()}

    created = client.post("/users/me/addresses", json={**ADDRESS, **extra}, headers=user.headers)
    updated = client.put(
        f"/users/me/addresses/{address['id']}",
        json={**ADDRESS, "name": "Changed", **extra},
        headers=user.headers,
    )

    for response in (created, updated):
        problem = assert_problem(response, 422, "validation_error")
        assert next(iter(extra)) in {error["field"] for error in problem["errors"]}
    assert address_row(db, address["id"]) == before
    assert addresses(client, other) == []


def test_an_order_keeps_its_address_when_the_address_is_edited_or_deleted(client, db, user):
    address = add_address(client, user)
    snapshot = dict(address)
    order_id = db.execute(
        "INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at)"
        " VALUES (%s, %s, %s, 0, 0, now() + interval '15 minutes') RETURNING id",
        (user.id, address["id"], Jsonb(snapshot)),
    ).fetchone()[0]

    client.put(
        f"/users/me/addresses/{address['id']}",
        json=address_body(name="Moved", city="Pune", state="Maharashtra", pincode="411001"),
        headers=user.headers,
    )
    client.delete(f"/users/me/addresses/{address['id']}", headers=user.headers)

    order_address = db.execute(
        "SELECT address FROM store.orders WHERE user_id = %s AND id = %s", (user.id, order_id)
    ).fetchone()[0]
    assert order_address == snapshot
    row = address_row(db, address["id"])
    assert row is not None and row["deleted_at"] is not None, "the row stays, marked deleted"
    db.execute("DELETE FROM store.orders WHERE user_id = %s", (user.id,))


# --- children ----------------------------------------------------------------------------------


def test_child_create_list_replace_delete(client, user):
    born = months_ago(30)
    created = client.post(
        "/users/me/children",
        json={"name": " Anaya ", "date_of_birth": born.isoformat(), "gender": "girl"},
        headers=user.headers,
    )
    assert created.status_code == 201, created.text
    child = created.json()
    assert set(child) == CHILD_FIELDS
    assert child == {
        "id": child["id"],
        "name": "Anaya",
        "date_of_birth": born.isoformat(),
        "gender": "girl",
        "age_months": 30,
    }
    listed = client.get("/users/me/children", headers=user.headers)
    assert listed.status_code == 200 and listed.json() == {"items": [child]}

    reborn = months_ago(7)
    replaced = client.put(
        f"/users/me/children/{child['id']}",
        json={"name": "Kabir", "date_of_birth": reborn.isoformat()},
        headers=user.headers,
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json() == {
        "id": child["id"],
        "name": "Kabir",
        "date_of_birth": reborn.isoformat(),
        "gender": "unspecified",
        "age_months": 7,
    }

    deleted = client.delete(f"/users/me/children/{child['id']}", headers=user.headers)
    assert deleted.status_code == 200 and deleted.json() == {"items": []}


def test_children_are_listed_oldest_first_with_their_age_today(client, user):
    baby = add_child(client, user, "Baby", months_ago(5))
    big = add_child(client, user, "Big", months_ago(100), "boy")
    newborn = add_child(client, user, "Newborn", today(), "unspecified")

    items = client.get("/users/me/children", headers=user.headers).json()["items"]

    assert [(c["id"], c["age_months"]) for c in items] == [
        (big["id"], 100),
        (baby["id"], 5),
        (newborn["id"], 0),
    ]


def test_gender_defaults_to_unspecified(client, user):
    body = {"name": "Kid", "date_of_birth": months_ago(12).isoformat()}

    response = client.post("/users/me/children", json=body, headers=user.headers)

    assert response.status_code == 201 and response.json()["gender"] == "unspecified"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # Dates relative to today are worked out when the test runs, not when it is collected:
        # a run that crosses midnight (UTC) would send today as "tomorrow".
        ({"date_of_birth": lambda: (today() + timedelta(days=1)).isoformat()}, "date_of_birth"),
        (
            {"date_of_birth": lambda: (months_ago(216) - timedelta(days=1)).isoformat()},
            "date_of_birth",
        ),
        ({"date_of_birth": "14-03-2022"}, "date_of_birth"),
        ({"date_of_birth": None}, "date_of_birth"),
        ({"gender": "unisex"}, "gender"),
        ({"name": ""}, "name"),
        ({"name": "k" * 101}, "name"),
        ({"age_months": 3}, "age_months"),
        ({"user_id": 1}, "user_id"),
    ],
)
def test_child_validation_names_the_field_and_stores_nothing(client, user, changes, field):
    changes = {key: value() if callable(value) else value for key, value in changes.items()}
    body = {"name": "Kid", "date_of_birth": months_ago(12).isoformat(), "gender": "boy", **changes}
    body = {key: value for key, value in body.items() if value is not None}

    problem = assert_problem(
        client.post("/users/me/children", json=body, headers=user.headers), 422, "validation_error"
    )

    assert [error["field"] for error in problem["errors"]] == [field]
    assert client.get("/users/me/children", headers=user.headers).json() == {"items": []}


def test_an_impossible_date_is_a_validation_problem(client, user):
    body = {"name": "Kid", "date_of_birth": "2024-02-30"}

    assert_problem(
        client.post("/users/me/children", json=body, headers=user.headers), 422, "validation_error"
    )


def test_born_today_and_exactly_18_years_ago_are_accepted(client, user):
    assert add_child(client, user, "Newborn", today())["age_months"] == 0
    assert add_child(client, user, "Adult soon", months_ago(216))["age_months"] == 216


def test_another_users_child_is_not_found_and_stays_unchanged(client, db, user, other):
    theirs = add_child(client, other, "Theirs")
    before = child_row(db, theirs["id"])
    body = {"name": "Mallory", "date_of_birth": today().isoformat()}

    put = client.put(f"/users/me/children/{theirs['id']}", json=body, headers=user.headers)
    delete = client.delete(f"/users/me/children/{theirs['id']}", headers=user.headers)

    assert_problem(put, 404, "child_not_found")
    assert_problem(delete, 404, "child_not_found")
    assert child_row(db, theirs["id"]) == before


def test_an_unknown_child_is_not_found(client, user):
    body = {"name": "Nobody", "date_of_birth": today().isoformat()}
    path = f"/users/me/children/{LARGEST_ID}"

    assert_problem(client.put(path, json=body, headers=user.headers), 404, "child_not_found")
    assert_problem(client.delete(path, headers=user.headers), 404, "child_not_found")


def test_a_refused_child_update_changes_nothing(client, db, user):
    child = add_child(client, user)
    before = child_row(db, child["id"])

    response = client.put(
        f"/users/me/children/{child['id']}",
        json={"name": "Changed", "date_of_birth": child["date_of_birth"], "user_id": 1},
        headers=user.headers,
    )

    assert_problem(response, 422, "validation_error")
    assert child_row(db, child["id"]) == before


# --- docs ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi(server) -> dict:
    return httpx.get(f"{server.base_url}{API}/openapi.json", timeout=10).json()


@pytest.mark.parametrize("endpoint", users_endpoints(), ids=lambda ep: ep["operation"])
def test_users_endpoints_are_documented_with_examples(openapi, endpoint):
    operation = openapi["paths"][API + endpoint["path"]][endpoint["method"].lower()]

    assert operation["tags"] == ["users"] and operation["summary"]
    assert operation["security"] == [{"bearerAuth": []}]
    success = operation["responses"][str(endpoint["status"])]["content"]["application/json"]
    schema_name = success["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema_name == endpoint["response"]
    if endpoint.get("body"):
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body_schema = openapi["components"]["schemas"][ref.rsplit("/", 1)[1]]
        for name, field in body_schema["properties"].items():
            assert field.get("examples"), (endpoint["operation"], name)


@pytest.mark.parametrize("name", ["Address", "Child", "WishlistItem", "User"])
def test_users_response_schemas_carry_examples(openapi, name):
    schema = openapi["components"]["schemas"][name]
    parts = schema.get("allOf", [schema])
    properties = {k: v for part in parts for k, v in part.get("properties", {}).items()}

    assert properties
    assert any("example" in prop for prop in properties.values())
