"""Helpers for the cart, coupon and concurrency tests: rows made directly in the database (a
product with a known stock, a coupon with given rules, an order with lines), logged-in users,
and a race runner that starts many real connections at the same moment."""

from __future__ import annotations

import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg

from tests.conftest import login, new_phone


def tag() -> str:
    """A short random word that makes slugs, names and codes unique to one test."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


def make_category(db: psycopg.Connection) -> int:
    word = tag()
    return db.execute(
        "INSERT INTO store.categories (name, slug) VALUES (%s, %s) RETURNING id",
        (f"Cart tests {word}", f"cart-tests-{word}"),
    ).fetchone()[0]


def make_product(
    db: psycopg.Connection,
    category_id: int,
    *,
    price: int = 19900,
    stock: int | None = 10,
    name: str | None = None,
    active: bool = True,
) -> int:
    """An active product with `stock` units on hand (no inventory row when None) and an image."""
    word = tag()
    product_id = db.execute(
        """
        INSERT INTO store.products
            (category_id, name, slug, brand, price, mrp, is_active, hsn_code, gst_rate)
        VALUES (%s, %s, %s, 'Cartbrand', %s, %s, %s, '9503', 5) RETURNING id
        """,
        (category_id, name or f"Toy {word}", f"toy-{word}", price, price, active),
    ).fetchone()[0]
    if stock is not None:
        db.execute(
            "INSERT INTO store.inventory (product_id, on_hand) VALUES (%s, %s)", (product_id, stock)
        )
    db.execute(
        "INSERT INTO store.product_images (product_id, url) VALUES (%s, %s)",
        (product_id, f"https://img.test.jiokidz.in/{word}/0.jpg"),
    )
    return product_id


def make_coupon(db: psycopg.Connection, **fields: Any) -> tuple[int, str]:
    """A coupon valid since yesterday (flat ₹50 unless told otherwise); returns (id, code)."""
    values = {
        "code": "PY" + tag().upper(),
        "description": "Test coupon",
        "discount_type": "flat",
        "discount_value": 5000,
        **fields,
    }
    columns = ", ".join(values)
    placeholders = ", ".join(f"%({name})s" for name in values)
    coupon_id = db.execute(
        f"INSERT INTO store.coupons (valid_from, {columns}) "
        f"VALUES (now() - interval '1 day', {placeholders}) RETURNING id",
        values,
    ).fetchone()[0]
    return coupon_id, values["code"]


def make_user(db: psycopg.Connection) -> int:
    return db.execute(
        "INSERT INTO store.users (phone) VALUES (%s) RETURNING id", ("+91" + new_phone(),)
    ).fetchone()[0]


def make_order(
    db: psycopg.Connection,
    user_id: int,
    lines: list[tuple[int, int]],
    *,
    status: str = "pending_payment",
) -> int:
    """An unpaid order of the user with (product_id, quantity) lines, inserted in that order, as
    create_order will insert them before calling lock_inventory."""
    address_id = db.execute(
        """
        INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)
        VALUES (%s, 'Test Parent', %s, '1 Test Street', 'Pune', 'Maharashtra', '411001')
        RETURNING id
        """,
        (user_id, "+91" + new_phone()),
    ).fetchone()[0]
    order_id = db.execute(
        """
        INSERT INTO store.orders (user_id, status, address_id, address, subtotal, total,
                                  payment_due_at)
        VALUES (%s, %s, %s, '{}', 0, 0, now() + interval '15 minutes') RETURNING id
        """,
        (user_id, status, address_id),
    ).fetchone()[0]
    for product_id, quantity in lines:
        db.execute(
            """
            INSERT INTO store.order_items (user_id, order_id, product_id, product_name,
                                           unit_price, quantity, line_total)
            SELECT %s, %s, p.id, p.name, p.price, %s, p.price * %s
            FROM store.products AS p WHERE p.id = %s
            """,
            (user_id, order_id, quantity, quantity, product_id),
        )
    return order_id


def stock(db: psycopg.Connection, product_id: int) -> tuple[int, int]:
    """(on hand, available now) of a product."""
    return db.execute(
        "SELECT i.on_hand, internal.available_stock(i.product_id) FROM store.inventory AS i "
        "WHERE i.product_id = %s",
        (product_id,),
    ).fetchone()


@dataclass
class Shopper:
    """A user logged in through the real OTP flow."""

    id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def shopper(client: httpx.Client) -> Shopper:
    token, body = login(client)
    return Shopper(body["user"]["id"], token)


@dataclass
class Outcome:
    """What one racer got: its result, or the SQLSTATE of the error it raised."""

    result: Any = None
    sqlstate: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.sqlstate is None


def race(
    db_url: str, works: list[Callable[[psycopg.Connection], Any]], timeout: float = 30
) -> list[Outcome]:
    """Runs each work on its own connection and thread, all released at the same moment by a
    barrier; each work runs in one transaction, committed when it returns and rolled back when
    it raises. Nothing is retried: every error a client would see is in the outcomes."""
    connections = [psycopg.connect(db_url) for _ in works]
    for conn in connections:
        # A bug that makes a racer wait forever fails the test instead of hanging it.
        conn.execute("SET statement_timeout = '20s'")
        conn.commit()
    barrier = threading.Barrier(len(works))
    outcomes = [Outcome() for _ in works]

    def run(index: int) -> None:
        conn = connections[index]
        barrier.wait()
        try:
            outcomes[index].result = works[index](conn)
            conn.commit()
        except psycopg.Error as exc:
            conn.rollback()
            outcomes[index].sqlstate = exc.sqlstate
            outcomes[index].message = exc.diag.message_primary

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in threads), "a racer never finished"
    finally:
        for conn in connections:
            conn.close()
    return outcomes


def call(sql: str, *args: Any) -> Callable[[psycopg.Connection], Any]:
    """A race work: one procedure call, its single value returned."""
    return lambda conn: conn.execute(sql, args).fetchone()[0]
