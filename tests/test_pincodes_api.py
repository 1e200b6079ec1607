"""Pincodes over real HTTP (docs/api.md "Delivery"): GET /pincodes/{pincode}, the rule that an
address's state is its pincode's, and checkout's refusal of an address the store does not
deliver to. Also the load of India Post's directory (db/load_pincodes.py, docs/dba.md
"Pincodes") from a file in its format: tests/fixtures/india_post/pincode_directory.csv, real
post offices with their delivery flags picked to exercise the rules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from app.settings import Settings
from db.load_pincodes import load
from db.migrate import DB_DIR, logged_in_as
from tests.conftest import (
    ROOT,
    assert_problem,
    database_url,
    drop_database,
    migrate_database,
)
from tests.helpers_cart import make_product, stock
from tests.helpers_orders import buyer, fill_cart, order_request, watch_invariants
from tests.helpers_users import ADDRESS, address_body, new_user

DIRECTORY = ROOT / "tests" / "fixtures" / "india_post" / "pincode_directory.csv"
ANSWER = {"pincode", "serviceable", "cod_available", "state", "district", "delivery_days"}
# Not a PIN code anywhere (99 is the Army Postal Service's, and store.pincodes lacks it).
UNKNOWN = "999999"


@pytest.fixture(autouse=True)
def invariants(db):
    yield from watch_invariants(db)


@pytest.fixture
def user(client):
    return new_user(client)


def pincode_row(db: psycopg.Connection, pincode: str) -> tuple | None:
    return db.execute(
        "SELECT district, state, serviceable, cod_allowed, delivery_days FROM store.pincodes "
        "WHERE pincode = %s",
        (pincode,),
    ).fetchone()


def address_row(db: psycopg.Connection, address_id: int) -> tuple:
    return db.execute("SELECT * FROM store.addresses WHERE id = %s", (address_id,)).fetchone()


# --- GET /pincodes/{pincode} ----------------------------------------------------------------


def test_a_served_pincode_answers_its_delivery_terms(client):
    answer = client.get("/pincodes/560038")

    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "pincode": "560038",
        "serviceable": True,
        "cod_available": True,
        "state": "Karnataka",
        "district": "Bengaluru Urban",
        "delivery_days": 2,
    }


def test_a_pincode_served_without_cash_on_delivery(client):
    answer = client.get("/pincodes/194101").json()

    assert set(answer) == ANSWER
    assert (answer["state"], answer["serviceable"], answer["cod_available"]) == (
        "Ladakh",
        True,
        False,
    )
    assert answer["delivery_days"] > 2


def test_a_pincode_not_served_has_no_cash_on_delivery_and_no_days(client, db):
    answer = client.get("/pincodes/744301").json()

    assert answer == {
        "pincode": "744301",
        "serviceable": False,
        "cod_available": False,
        "state": "Andaman and Nicobar Islands",
        "district": "Nicobar",
        "delivery_days": None,
    }
    assert pincode_row(db, "744301")[2] is False


def test_an_unknown_pincode_is_not_found(client, db):
    assert pincode_row(db, UNKNOWN) is None

    problem = assert_problem(client.get(f"/pincodes/{UNKNOWN}"), 404, "pincode_not_found")
    assert UNKNOWN in problem["detail"]


@pytest.mark.parametrize("pincode", ["56003", "5600381", "012345", "56003A", "%20560038"])
def test_a_malformed_pincode_is_a_validation_error(client, pincode):
    problem = assert_problem(client.get(f"/pincodes/{pincode}"), 422, "validation_error")

    assert [error["field"] for error in problem["errors"]] == ["pincode"]


def test_the_route_needs_no_token_and_is_in_the_spec(client):
    # A public read: no Authorization header at all.
    assert client.get("/pincodes/110001").json()["state"] == "Delhi"
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/pincodes/{pincode}"]["get"]
    assert operation["tags"] == ["delivery"]
    assert {"200", "404", "422"} <= set(operation["responses"])


# --- an address's state is its pincode's ----------------------------------------------------


def test_an_address_with_an_unknown_pincode_is_refused(client, db, user):
    response = client.post(
        "/users/me/addresses", json=address_body(pincode=UNKNOWN), headers=user.headers
    )

    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"] == [{"field": "pincode", "message": problem["detail"]}]
    assert UNKNOWN in problem["detail"]
    assert client.get("/users/me/addresses", headers=user.headers).json()["items"] == []


def test_an_address_in_another_state_than_its_pincodes_is_refused_naming_that_state(
    client, db, user
):
    # 400001 is Mumbai's: Maharashtra, not the body's Karnataka.
    response = client.post(
        "/users/me/addresses", json=address_body(pincode="400001"), headers=user.headers
    )

    problem = assert_problem(response, 422, "validation_error")
    assert [error["field"] for error in problem["errors"]] == ["state"]
    assert "Maharashtra" in problem["detail"] and "400001" in problem["detail"]

    moved = client.post(
        "/users/me/addresses",
        json=address_body(city="Mumbai", state="Maharashtra", pincode="400001"),
        headers=user.headers,
    )
    assert moved.status_code == 201, moved.text
    assert (moved.json()["state"], moved.json()["pincode"]) == ("Maharashtra", "400001")


def test_an_update_must_keep_state_and_pincode_in_agreement(client, db, user):
    address = client.post("/users/me/addresses", json=ADDRESS, headers=user.headers).json()
    before = address_row(db, address["id"])

    for changes, field in (
        ({"state": "Tamil Nadu"}, "state"),  # 560038 stays in Karnataka
        ({"pincode": "600001"}, "state"),  # Chennai's pincode in Karnataka
        ({"pincode": UNKNOWN}, "pincode"),
    ):
        response = client.put(
            f"/users/me/addresses/{address['id']}",
            json=address_body(**changes),
            headers=user.headers,
        )
        problem = assert_problem(response, 422, "validation_error")
        assert [error["field"] for error in problem["errors"]] == [field], changes

    assert address_row(db, address["id"]) == before


def test_a_pincode_not_served_is_still_a_valid_address(client, user):
    response = client.post(
        "/users/me/addresses",
        json=address_body(
            city="Car Nicobar", state="Andaman and Nicobar Islands", pincode="744301"
        ),
        headers=user.headers,
    )

    assert response.status_code == 201, response.text


# --- checkout ---------------------------------------------------------------------------------


@pytest.fixture
def toy(db, category) -> int:
    return make_product(db, category, price=59900, stock=3)


def test_checkout_refuses_an_address_the_store_does_not_deliver_to(client, db, toy):
    shopper = buyer(client)
    remote = client.post(
        "/users/me/addresses",
        json=address_body(
            city="Car Nicobar", state="Andaman and Nicobar Islands", pincode="744301"
        ),
        headers=shopper.headers,
    ).json()
    fill_cart(client, shopper, [(toy, 2)])

    response = client.post("/orders", json={"address_id": remote["id"]}, headers=shopper.headers)

    problem = assert_problem(response, 422, "pincode_not_serviceable")
    assert "744301" in problem["detail"]
    assert client.get("/orders", headers=shopper.headers).json()["total"] == 0
    assert stock(db, toy) == (3, 3), "nothing reserved"
    assert len(client.get("/cart", headers=shopper.headers).json()["items"]) == 1

    # The same cart to the buyer's served address (560038) is ordered.
    placed = order_request(client, shopper)
    assert placed.status_code == 201, placed.text
    assert placed.json()["address"]["pincode"] == "560038"


def test_checkout_refuses_an_address_whose_pincode_the_store_does_not_know(client, db, toy):
    # An address saved before the pincode rules, or whose pincode was removed since.
    shopper = buyer(client)
    db.execute(
        "UPDATE store.addresses SET pincode = %s WHERE user_id = %s AND id = %s",
        (UNKNOWN, shopper.id, shopper.address_id),
    )
    fill_cart(client, shopper, [(toy, 1)])

    problem = assert_problem(order_request(client, shopper), 422, "pincode_not_serviceable")

    assert UNKNOWN in problem["detail"]
    assert stock(db, toy) == (3, 3)


# --- loading India Post's directory ---------------------------------------------------------


@pytest.fixture
def owner(db_url: str):
    """The owner's connection in a transaction, rolled back after: what a load wrote goes."""
    with psycopg.connect(logged_in_as(db_url, Settings.from_env().owner_database_url)) as conn:
        yield conn
        conn.rollback()


def test_the_directory_loads_one_row_per_pincode_and_keeps_the_stores_choices(owner, db):
    before = {p: pincode_row(db, p) for p in ("560038", "744301", "211001", "605001")}
    assert pincode_row(db, "110011") is None

    report = load(owner, DIRECTORY)

    assert report == {"offices": 12, "pincodes": 9, "added": 3, "updated": 2, "unchanged": 4}
    rows = {
        pincode: row
        for pincode, *row in owner.execute(
            "SELECT pincode, district, state, serviceable, cod_allowed, delivery_days "
            "FROM store.pincodes WHERE pincode IN "
            "('560038', '744301', '211001', '605001', '110011', '600002', '744102')"
        )
    }
    # Known pincodes: the store's serviceable, cod_allowed and delivery_days stay.
    assert tuple(rows["560038"]) == before["560038"]
    assert tuple(rows["744301"]) == before["744301"], "Car Nicobar stays not served"
    # ... and they take the directory's names.
    assert rows["211001"] == ["Allahabad", "Uttar Pradesh", *before["211001"][2:]]
    assert rows["605001"] == ["Pondicherry", "Puducherry", *before["605001"][2:]]
    # New pincodes: served when one office delivers, no cash on delivery, 7 days.
    assert rows["110011"] == ["New Delhi", "Delhi", True, False, 7]
    assert rows["600002"] == ["Chennai", "Tamil Nadu", True, False, 7]
    assert rows["744102"] == ["South Andaman", "Andaman and Nicobar Islands", False, False, None]


def test_the_load_takes_defaults_for_new_pincodes(owner):
    load(owner, DIRECTORY, cod_allowed=True, delivery_days=4)

    assert owner.execute(
        "SELECT cod_allowed, delivery_days FROM store.pincodes WHERE pincode = '110011'"
    ).fetchone() == (True, 4)


def test_a_file_whose_header_is_not_the_directorys_is_refused(owner, tmp_path):
    lines = DIRECTORY.read_text().splitlines()
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("\n".join([lines[0].replace("statename", "state"), *lines[1:]]) + "\n")

    with pytest.raises(psycopg.errors.BadCopyFileFormat):
        load(owner, renamed)


def test_the_command_line_dry_run_reports_and_changes_nothing(db_url, db):
    owner_url = logged_in_as(db_url, Settings.from_env().owner_database_url)
    env = {**os.environ, "OWNER_DATABASE_URL": owner_url}

    done = subprocess.run(
        [sys.executable, "-m", "db.load_pincodes", "--dry-run", str(DIRECTORY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    prefix = "dry run, rolled back: "
    assert done.stdout.startswith(prefix)
    assert json.loads(done.stdout[len(prefix) :])["added"] == 3
    assert pincode_row(db, "110011") is None


# --- upgrading a database that holds addresses ------------------------------------------------


@pytest.fixture
def before_450(tmp_path: Path):
    """A database made from a copy of db/ without db/tables/450 (nor the helper whose type it
    makes), the copy whole again to upgrade it with; both removed after."""
    name = f"jiokidz_pincodes_{os.getpid()}"
    drop_database(name)
    copy = tmp_path / "db"
    for part in ("tables", "procedures", "seed"):
        shutil.copytree(DB_DIR / part, copy / part)
    for file in ("roles.sql", "grants.sql"):
        shutil.copy(DB_DIR / file, copy / file)
    held = [copy / "tables" / "450_pincodes.sql", copy / "procedures/delivery/delivery_pincode.sql"]
    for path in held:
        path.rename(tmp_path / path.name)
    url = database_url(name)
    migrate_database(url, db_dir=copy, seed=False)
    yield url, copy, lambda: [(tmp_path / path.name).rename(path) for path in held]
    drop_database(name)


def test_an_upgrade_keeps_every_address_deliverable(before_450):
    url, copy, put_back = before_450
    with psycopg.connect(url, autocommit=True) as conn:
        user = conn.execute(
            "INSERT INTO store.users (phone) VALUES ('+919000004501') RETURNING id"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode) "
            "VALUES (%(u)s, 'Asha', '+919000004501', '1 MG Road', 'Bengaluru', 'Karnataka', "
            "'560038'), (%(u)s, 'Asha', '+919000004501', '2 Hill Road', 'Madikeri', "
            "'Karnataka', '571201'), (%(u)s, 'Ravi', '+919000004501', '3 Lake Road', "
            "'Car Nicobar', 'Andaman and Nicobar Islands', '744301')",
            {"u": user},
        )

    put_back()
    report = migrate_database(url, db_dir=copy)

    assert report.tables_applied == ["450_pincodes.sql"]
    with psycopg.connect(url) as conn:
        rows = {
            pincode: row
            for pincode, *row in conn.execute(
                "SELECT pincode, district, state, serviceable, cod_allowed, delivery_days "
                "FROM store.pincodes WHERE pincode IN ('560038', '571201', '744301')"
            )
        }
    # The sample's rows as they are; a pincode only addresses used is added, served.
    assert rows["560038"] == ["Bengaluru Urban", "Karnataka", True, True, 2]
    assert rows["571201"] == ["Madikeri", "Karnataka", True, False, 7]
    assert rows["744301"][2] is False, "the sample's choice wins over the backfill"
