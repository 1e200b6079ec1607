"""Helpers shared by the profile, address, child, wishlist and recommendation tests: logged-in
users, valid request bodies, birth dates, and catalog products made (and removed) by a test."""

from __future__ import annotations

import calendar
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import httpx
import psycopg

from tests.conftest import login

# A valid address body; tests change one field at a time.
ADDRESS = {
    "name": "Asha Rao",
    "phone": "9876543210",
    "line1": "Flat 4B, Lakeview Apartments, 12 MG Road",
    "line2": "Indiranagar",
    "landmark": "Opposite Metro Station",
    "city": "Bengaluru",
    "state": "Karnataka",
    "pincode": "560038",
}
# Far above the sales of any demo product: products made with it head every popularity list.
HOT = 10**12


@dataclass
class User:
    """A user logged in through the real OTP flow."""

    id: int
    token: str
    phone: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_user(client: httpx.Client) -> User:
    token, answer = login(client)
    return User(answer["user"]["id"], token, answer["user"]["phone"])


def address_body(**changes) -> dict:
    """ADDRESS with changes; a change to None drops the field."""
    body = {**ADDRESS, **changes}
    return {name: value for name, value in body.items() if value is not None}


def today() -> date:
    """Today as the database sees it (current_date in UTC)."""
    return datetime.now(UTC).date()


def months_ago(months: int) -> date:
    """The date `months` whole months before today (clamped to the end of a shorter month)."""
    now = today()
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    return date(year, month, min(now.day, calendar.monthrange(year, month)[1]))


@dataclass
class Products:
    """Active products in a category of their own, made by a test module and removed after it
    (with every cart line and wishlist entry that points at them)."""

    db_url: str
    tag: str = field(init=False)
    category_id: int = field(init=False)
    ids: list[int] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.tag = "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            self.category_id = conn.execute(
                "INSERT INTO store.categories (name, slug) VALUES (%s, %s) RETURNING id",
                (f"Test {self.tag}", f"t-{self.tag}"),
            ).fetchone()[0]

    def make(
        self,
        name: str,
        *,
        ages: tuple[int, int] = (0, 216),
        stock: int = 10,
        sales: int = 0,
        price: int = 49900,
        active: bool = True,
    ) -> int:
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            product_id = conn.execute(
                "INSERT INTO store.products (category_id, name, slug, brand, price, mrp,"
                " age_min_months, age_max_months, sales_count, is_active, hsn_code, gst_rate)"
                " VALUES (%s, %s, %s, 'Testbrand', %s, %s, %s, %s, %s, %s, '9503', 5)"
                " RETURNING id",
                (
                    self.category_id,
                    name,
                    f"t-{self.tag}-{len(self.ids)}",
                    price,
                    price + 10000,
                    *ages,
                    sales,
                    active,
                ),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO store.inventory (product_id, on_hand, units_sold) VALUES (%s, %s, %s)",
                (product_id, stock, sales),
            )
            conn.execute(
                "INSERT INTO store.product_images (product_id, url, alt, position)"
                " VALUES (%s, %s, %s, 0)",
                (product_id, f"https://img.example/{self.tag}/{product_id}.jpg", name),
            )
        self.ids.append(product_id)
        return product_id

    def remove_all(self) -> None:
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            conn.execute("DELETE FROM store.cart_items WHERE product_id = ANY(%s)", (self.ids,))
            conn.execute("DELETE FROM store.products WHERE id = ANY(%s)", (self.ids,))
            conn.execute("DELETE FROM store.categories WHERE id = %s", (self.category_id,))


def put_in_cart(db: psycopg.Connection, user_id: int, product_id: int) -> None:
    """A cart line, written directly (the cart endpoints are another issue's)."""
    db.execute(
        "INSERT INTO store.carts (user_id) VALUES (%s) ON CONFLICT (user_id) DO NOTHING", (user_id,)
    )
    db.execute(
        "INSERT INTO store.cart_items (user_id, cart_id, product_id, quantity, unit_price)"
        " SELECT c.user_id, c.id, p.id, 1, p.price FROM store.carts AS c, store.products AS p"
        " WHERE c.user_id = %s AND p.id = %s",
        (user_id, product_id),
    )
