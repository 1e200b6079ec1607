"""Catalog change notifications (db/tables/370_catalog_changes.sql), received for real: one
connection LISTENs on catalog_changes as the web tier logs in, another changes the catalog as
the admin, and each test asserts exactly which payloads one change sends: product:<id> for what
a product's detail shows, catalog for what lists show, everything for what every answer may
show (a category, db/tables/420_catalog_changes_everything.sql). Also the versioned image URLs
(db/tables/380_product_image_versions.sql) that a new picture version gives."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from tests.conftest import api_url
from tests.helpers_cart import make_category, make_order, make_product, make_user

CHANNEL = "catalog_changes"


class Watch:
    """Runs one change as the admin and answers the payloads it sent, sorted. A marker
    notified after the change, in a transaction of its own, arrives after everything the change
    committed (notifications are delivered in commit order), so nothing is waited for by time."""

    def __init__(self, db: psycopg.Connection, listener: psycopg.Connection):
        self.db = db
        self.listener = listener

    def call(self, change: Callable[[], object]) -> list[str]:
        self._until_marker()
        change()
        return sorted(self._until_marker())

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[str]:
        return self.call(lambda: self.db.execute(statement, params))

    def stock(self, product_id: int, statement: str, params: tuple[Any, ...] = ()) -> list[str]:
        """The payloads of a stock change, checked against internal.available_stock (the one
        definition of available): product:<id>, and catalog exactly when it crossed zero."""
        before = self.available(product_id)
        sent = self.sql(statement, params)
        after = self.available(product_id)
        crossed = ["catalog"] if (before > 0) != (after > 0) else []
        assert sent == sorted([product(product_id), *crossed]), f"available {before} -> {after}"
        return sent

    def available(self, product_id: int) -> int:
        return self.db.execute("SELECT internal.available_stock(%s)", (product_id,)).fetchone()[0]

    def _until_marker(self) -> list[str]:
        marker = f"test-marker:{uuid.uuid4()}"
        self.db.execute("SELECT pg_notify(%s, %s)", (CHANNEL, marker))
        payloads = []
        for notify in self.listener.notifies(timeout=10):
            if notify.payload == marker:
                return payloads
            payloads.append(notify.payload)
        raise AssertionError(f"the marker never arrived; received {payloads}")


@pytest.fixture
def watch(db: psycopg.Connection, db_url: str) -> Iterator[Watch]:
    """LISTEN catalog_changes as the web tier (jiokidz_api), which the cache logs in as."""
    with psycopg.connect(api_url(db_url), autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        yield Watch(db, listener)


@pytest.fixture
def category(db: psycopg.Connection) -> int:
    return make_category(db)


def product(product_id: int) -> str:
    return f"product:{product_id}"


def both(product_id: int) -> list[str]:
    return ["catalog", product(product_id)]


def test_a_price_change_notifies_the_product_and_the_lists(db, watch, category):
    toy = make_product(db, category)
    sent = watch.sql("UPDATE store.products SET price = price - 100 WHERE id = %s", (toy,))
    assert sent == both(toy)


def test_a_sale_count_or_an_unchanged_value_notifies_nothing(db, watch, category):
    toy = make_product(db, category)
    # What decrease_inventory does to the product at every sale.
    sale = (
        "UPDATE store.products SET sales_count = sales_count + 2, updated_at = now() WHERE id = %s"
    )
    assert watch.sql(sale, (toy,)) == []
    same = "UPDATE store.products SET price = price, name = name WHERE id = %s"
    assert watch.sql(same, (toy,)) == []


def test_a_description_edit_notifies_the_product_and_the_lists(db, watch, category):
    # Detail shows the description; lists search it.
    toy = make_product(db, category)
    edit = "UPDATE store.products SET description = 'Now with a whistle' WHERE id = %s"
    assert watch.sql(edit, (toy,)) == both(toy)


def test_switching_a_product_off_and_a_bulk_price_change(db, watch, category):
    toys = [make_product(db, category) for _ in range(3)]
    off = "UPDATE store.products SET is_active = FALSE WHERE id = %s"
    assert watch.sql(off, (toys[0],)) == both(toys[0])
    # One statement, many products: one payload each, catalog once.
    bulk = "UPDATE store.products SET price = price + 1, mrp = mrp + 1 WHERE id = ANY(%s)"
    assert watch.sql(bulk, (toys,)) == sorted(["catalog", *map(product, toys)])


def test_a_product_added_and_deleted(db, watch, category):
    created = []

    def add() -> None:
        with db.transaction():  # the product, then its picture: one transaction
            created.append(make_product(db, category, stock=None))

    assert watch.call(add) == both(created[0])
    delete = "DELETE FROM store.products WHERE id = %s"
    assert watch.sql(delete, (created[0],)) == both(created[0])


def test_pictures_notify_the_product_and_the_thumbnail_the_lists(db, watch, category):
    toy = make_product(db, category)
    later = "INSERT INTO store.product_images (product_id, url, position) VALUES (%s, %s, 5)"
    sent = watch.sql(later, (toy, "https://img.test.jiokidz.in/later.jpg"))
    assert sent == [product(toy)], "a picture behind the thumbnail: lists do not show it"

    bytes_changed = (
        "UPDATE store.product_images SET content_version = 'b2'"
        " WHERE product_id = %s AND position = 0"
    )
    assert watch.sql(bytes_changed, (toy,)) == both(toy), "new thumbnail bytes, a new URL"

    removed = "DELETE FROM store.product_images WHERE product_id = %s AND position = 0"
    assert watch.sql(removed, (toy,)) == both(toy), "the later picture became the thumbnail"


def test_a_category_change_notifies_everything(db, watch, category):
    """Product pages show their category's name: a category change drops every answer."""
    rename = "UPDATE store.categories SET name = name || ' renamed' WHERE id = %s"
    assert watch.sql(rename, (category,)) == ["everything"]
    assert watch.call(lambda: make_category(db)) == ["everything"]
    same = "UPDATE store.categories SET name = name WHERE id = %s"
    assert watch.sql(same, (category,)) == [], "an update that changes nothing"


def test_on_hand_notifies_the_product_and_the_lists_when_it_crosses_zero(db, watch, category):
    toy = make_product(db, category, stock=5)
    on_hand = "UPDATE store.inventory SET on_hand = %s, updated_at = now() WHERE product_id = %s"
    assert watch.stock(toy, on_hand, (3, toy)) == [product(toy)]
    assert watch.stock(toy, on_hand, (0, toy)) == both(toy)
    assert watch.stock(toy, on_hand, (2, toy)) == both(toy)
    touched = "UPDATE store.inventory SET updated_at = now() WHERE product_id = %s"
    assert watch.sql(touched, (toy,)) == [], "on hand unchanged"
    delete = "DELETE FROM store.inventory WHERE product_id = %s"
    assert watch.stock(toy, delete, (toy,)) == both(toy)
    restock = "SELECT internal.increase_inventory(%s, 4)"  # creates the row again
    assert watch.stock(toy, restock, (toy,)) == both(toy)


def test_reservations_and_a_sale_through_the_procedures(db, watch, category):
    toy = make_product(db, category, stock=5)
    user = make_user(db)
    first = make_order(db, user, [(toy, 2)])
    last = make_order(db, user, [(toy, 3)])

    def call(procedure: str) -> str:
        return f"SELECT internal.{procedure}(%s, %s)"

    # A checkout's reservation that leaves units: the lists keep their in_stock.
    assert watch.stock(toy, call("lock_inventory"), (user, first)) == [product(toy)]
    # The last units reserved: out of stock in every list.
    assert watch.stock(toy, call("lock_inventory"), (user, last)) == both(toy)
    # Paid: on hand falls as its reservation is consumed; available stays 0, nothing to say.
    assert watch.sql(call("decrease_inventory"), (user, last)) == []
    assert watch.available(toy) == 0
    # The other order cancelled: its units come back.
    assert watch.stock(toy, call("release_inventory"), (user, first)) == both(toy)


def test_a_sale_that_leaves_stock_does_not_empty_the_list_cache(db, watch, category):
    toy = make_product(db, category, stock=10)
    user = make_user(db)
    order = make_order(db, user, [(toy, 1)])
    assert watch.sql("SELECT internal.lock_inventory(%s, %s)", (user, order)) == [product(toy)]
    sale = "SELECT internal.decrease_inventory(%s, %s)"
    assert watch.sql(sale, (user, order)) == []  # the units were set aside: available is 9
    assert watch.available(toy) == 9
    sold = db.execute(
        "SELECT on_hand, units_sold FROM store.inventory WHERE product_id = %s", (toy,)
    ).fetchone()
    assert sold == (9, 1)


def test_a_late_capture_notifies_the_units_it_takes(db, watch, category):
    """A payment captured after its reservation lapsed takes units that were available again:
    decrease_inventory says so itself, as the triggers take a sale as changing nothing."""
    toy = make_product(db, category, stock=1)
    user = make_user(db)
    order = make_order(db, user, [(toy, 1)])
    assert watch.stock(toy, "SELECT internal.lock_inventory(%s, %s)", (user, order)) == both(toy)
    lapse = "UPDATE store.inventory_locks SET expires_at = now() - interval '1 second'"
    db.execute(lapse + " WHERE user_id = %s AND order_id = %s", (user, order))
    assert watch.available(toy) == 1
    sale = "SELECT internal.decrease_inventory(%s, %s)"
    assert watch.stock(toy, sale, (user, order)) == both(toy)  # the last unit: 1 -> 0


def test_reservations_released_together_are_judged_together(db, watch, category):
    # Two reservations of the last two units released by one statement: judged row by row,
    # each would see the other already released and the stock already back.
    toy = make_product(db, category, stock=2)
    user = make_user(db)
    for _ in range(2):
        order = make_order(db, user, [(toy, 1)])
        db.execute("SELECT internal.lock_inventory(%s, %s)", (user, order))
    assert watch.available(toy) == 0
    release = (
        "UPDATE store.inventory_locks SET status = 'released', released_at = now()"
        " WHERE product_id = %s"
    )
    assert watch.stock(toy, release, (toy,)) == both(toy)


def test_a_lapsed_reservation_is_notified_when_the_sweeper_releases_it(db, watch, category):
    toy = make_product(db, category, stock=1)
    user = make_user(db)
    order = make_order(db, user, [(toy, 1)])
    lock = "SELECT internal.lock_inventory(%s, %s, now() + interval '0.3 seconds')"
    db.execute(lock, (user, order))
    time.sleep(0.5)
    # Lapsed: available again, though nothing was written. A list read before it lapsed says
    # out of stock, so the release must tell the lists.
    assert watch.available(toy) == 1
    assert watch.sql("SELECT internal.release_expired_reservations()") == both(toy)


def test_a_reservation_inserted_and_deleted_directly(db, watch, category):
    toy = make_product(db, category, stock=1)
    user = make_user(db)
    order = make_order(db, user, [(toy, 1)])
    reserve = (
        "INSERT INTO store.inventory_locks (user_id, order_id, product_id, quantity, expires_at)"
        " VALUES (%s, %s, %s, 1, now() + interval '15 minutes')"
    )
    assert watch.stock(toy, reserve, (user, order, toy)) == both(toy)
    delete = "DELETE FROM store.inventory_locks WHERE order_id = %s"
    assert watch.stock(toy, delete, (order,)) == both(toy)


def test_a_rolled_back_change_notifies_nothing(db, watch, category):
    toy = make_product(db, category)

    def change_then_roll_back() -> None:
        with pytest.raises(RuntimeError), db.transaction():
            db.execute("UPDATE store.products SET price = price - 100 WHERE id = %s", (toy,))
            db.execute("UPDATE store.inventory SET on_hand = 0 WHERE product_id = %s", (toy,))
            raise RuntimeError("roll back")

    assert watch.call(change_then_roll_back) == []


def test_one_transaction_sends_each_payload_once(db, watch, category):
    toy = make_product(db, category)

    def three_changes() -> None:
        with db.transaction():
            for _ in range(3):
                db.execute("UPDATE store.products SET price = price - 1 WHERE id = %s", (toy,))

    assert watch.call(three_changes) == both(toy)


def test_a_new_picture_version_changes_every_url_shown(db, category):
    toy = make_product(db, category)
    url = db.execute(
        "SELECT url FROM store.product_images WHERE product_id = %s AND position = 0", (toy,)
    ).fetchone()[0]

    def shown() -> tuple[str, str, str]:
        """The picture in detail, the detail's thumbnail, the cart's thumbnail."""
        return db.execute(
            "SELECT api.get_product(%s) -> 'images' -> 0 ->> 'url',"
            " api.get_product(%s) ->> 'image_url', internal.product_thumbnail(%s)",
            (toy, toy, toy),
        ).fetchone()

    stand_in = hashlib.md5(url.encode()).hexdigest()[:12]
    assert shown() == (f"{url}?v={stand_in}",) * 3, "no version given: the stand-in from the URL"
    db.execute(
        "UPDATE store.product_images SET content_version = 'sha256-ab12' WHERE product_id = %s",
        (toy,),
    )
    assert shown() == (f"{url}?v=sha256-ab12",) * 3


def test_a_bulk_load_of_spent_reservations_notifies_only_their_products(db, watch, category):
    # What bench/data.sql loads by the lakh: reservations consumed or released, which hold no
    # stock. Nothing moved, so nothing is judged (db/tables/390) and lists are left alone.
    toys = [make_product(db, category, stock=1) for _ in range(3)]
    user = make_user(db)
    order = make_order(db, user, [(toy, 1) for toy in toys])
    spent = (
        "INSERT INTO store.inventory_locks (user_id, order_id, product_id, quantity, status,"
        " expires_at, released_at)"
        " SELECT %s, %s, p, 1, s, now(), now() FROM unnest(%s::bigint[], %s::text[]) AS u (p, s)"
    )
    sent = watch.sql(spent, (user, order, toys, ["consumed", "released", "consumed"]))
    assert sent == sorted(map(product, toys))
