"""Object-level authorization on every route of api_spec.yaml (OWASP API1, BOLA): user A owns
one of everything (an address, a child, a wishlist entry, a cart line, a paid order with its
payment and a refund); user B sends every request of the spec with A's ids in the path, the
query and the body. Each answers 404 exactly as for a missing object (403 on a staff route),
no answer to B carries A's data, and every row of A's is unchanged at the end.

The routes come from the spec, so a new one is walked the day it is added; an id input the
walk does not know (a new kind of object) fails the test until it is classified below."""

from __future__ import annotations

import json

import httpx
import psycopg
import pytest

from app.gateway import payment_signature
from tests.conftest import API, assert_problem
from tests.helpers_cart import make_category, make_product, tag
from tests.helpers_orders import (
    KEY_SECRET,
    buyer,
    fill_cart,
    pay,
    place_order,
    worker_done_with,
)
from tests.helpers_spec import ENDPOINTS, endpoint_id, fields, valid_call
from tests.reliability import Tally, report

# Inputs naming something only its owner may touch, with the codes answered for another
# user's (as for a missing one), and inputs naming public catalog rows.
OWNED = {
    "address_id": {"address_not_found"},
    "child_id": {"child_not_found"},
    "item_id": {"cart_item_not_found"},
    "order_id": {"order_not_found", "payment_not_found"},
    "gateway_order_id": {"payment_not_found"},
    "gateway_payment_id": {"payment_not_found"},
}
PUBLIC = {"product_id", "category_id"}
# Inputs only staff routes take (any customer's rows, or the store's): a customer is refused
# with 403 before they are looked at.
STAFF_ONLY = {"image_id", "coupon_id", "refund_id", "parent_id", "entity_id", "staff_user_id"}
TALLY = Tally()


def user_tables(db: psycopg.Connection) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'store' AND column_name = 'user_id' ORDER BY 1"
        )
    ]


def rows_of(db: psycopg.Connection, user_id: int) -> dict[str, list[str]]:
    """Every row of the user's, in every table that has a user_id, as text."""
    return {
        table: [
            row
            for (row,) in db.execute(
                f"SELECT t::text FROM store.{table} AS t WHERE t.user_id = %s ORDER BY 1",
                (user_id,),
            )
        ]
        for table in user_tables(db)
    }


@pytest.fixture(scope="module")
def owner(server, db_url):
    """User A and its objects: (buyer, {input name: A's value}, a secret marker)."""
    marker = f"Secret{tag()}"
    with (
        httpx.Client(base_url=server.base_url + API, timeout=10) as http,
        psycopg.connect(db_url, autocommit=True) as db,
    ):
        category = make_category(db)
        sold, kept, saved = (make_product(db, category, price=60000, stock=5) for _ in range(3))
        a = buyer(http)
        http.put("/users/me", json={"name": f"{marker} A"}, headers=a.headers)
        address = http.post(
            "/users/me/addresses",
            headers=a.headers,
            json={
                "name": f"{marker} Home",
                "phone": "9876543210",
                "line1": f"{marker} Street",
                "city": "Pune",
                "state": "Maharashtra",
                "pincode": "411001",
            },
        ).json()
        child = http.post(
            "/users/me/children",
            headers=a.headers,
            json={"name": f"{marker} Kid", "date_of_birth": "2022-03-14"},
        ).json()
        order = place_order(http, a, [(sold, 1)], address_id=address["id"])
        paid = pay(http, a, order["id"])
        refund = http.post(
            "/refunds",
            headers=a.headers,
            json={"order_id": order["id"], "amount": 10000, "reason": f"{marker} dent"},
        )
        assert refund.status_code == 201, refund.text
        assert http.post("/users/me/wishlist", json={"product_id": saved}, headers=a.headers)
        fill_cart(http, a, [(kept, 2)])
        cart = http.get("/cart", headers=a.headers).json()
    ids = {
        "address_id": address["id"],
        "child_id": child["id"],
        "item_id": cart["items"][0]["id"],
        "order_id": order["id"],
        "gateway_order_id": paid["gateway_order_id"],
        "gateway_payment_id": paid["gateway_payment_id"],
        # A request signed as Razorpay would sign A's payment: B cannot fail on the signature.
        "signature": payment_signature(
            KEY_SECRET, paid["gateway_order_id"], paid["gateway_payment_id"]
        ),
        "product_id": saved,
    }
    return a, ids, marker


@pytest.fixture(scope="module")
def intruder(server, db_url):
    """User B, with a cart line of its own (so that placing an order gets as far as the
    address) and nothing else."""
    with (
        httpx.Client(base_url=server.base_url + API, timeout=10) as http,
        psycopg.connect(db_url, autocommit=True) as db,
    ):
        b = buyer(http)
        fill_cart(http, b, [(make_product(db, make_category(db), stock=5), 1)])
    return b


@pytest.fixture(scope="module")
def a_rows(owner, db_url):
    with psycopg.connect(db_url, autocommit=True) as db:
        worker_done_with(db, owner[0].id)  # its later writes are not the walk's
        return rows_of(db, owner[0].id)


def inputs(ep: dict) -> dict[str, str]:
    """Every input of the endpoint that names an object: name -> group."""
    return {
        name: group
        for group in ("path", "query", "body")
        for name in fields(ep, group)
        if name.endswith("_id") or name in OWNED
    }


# The session routes last: logout and logout-all end B's own session, which would answer 401
# to every route walked after them. (sorted is stable: the spec's order otherwise.)
WALKED = sorted(
    [e for e in ENDPOINTS if e["auth"] != "none"], key=lambda e: e["path"].startswith("/auth/")
)


@pytest.mark.parametrize("ep", WALKED, ids=endpoint_id)
def test_another_users_objects_answer_404_and_leak_nothing(client, owner, intruder, a_rows, ep):
    a, ids, marker = owner
    named = inputs(ep)
    unknown = set(named) - set(OWNED) - PUBLIC - (STAFF_ONLY if ep["tag"] == "admin" else set())
    assert not unknown, f"classify {unknown} as OWNED, PUBLIC or STAFF_ONLY in this test"
    owned = {name for name in named if name in OWNED}

    values = {name: ids[name] for name in ids if name in owned or name == "signature"}
    response = valid_call(ep, values).send(client, **intruder.headers)
    TALLY.count(response.status_code)

    assert marker not in response.text, f"{ep['operation']} showed B a row of A's"
    if ep["tag"] == "admin":
        assert_problem(response, 403, "forbidden")
    elif owned:
        problem = assert_problem(response, 404, json.loads(response.text)["code"])
        assert problem["code"] in set().union(*(OWNED[name] for name in owned)), problem
        if ep["method"] == "GET":  # the control: the same request is A's to make
            assert valid_call(ep, ids).send(client, **a.headers).status_code == 200
    else:  # B's own cart, profile, lists...: answered, with nothing of A's
        assert response.status_code < 500, response.text


def test_the_owners_rows_are_unchanged(owner, a_rows, db):
    """Runs after the walk above (pytest keeps file order)."""
    assert TALLY.sent >= len([e for e in ENDPOINTS if e["auth"] != "none"])
    report("authorization walk, B on A's ids", TALLY)
    assert rows_of(db, owner[0].id) == a_rows
