"""A flash sale over real HTTP against the session's server: BUYERS buyers, each with their own
user, token, address and cart, race for one product with UNITS units. Each does the checkout
once, as bench/checkout.py does it (add to cart, POST /orders, POST /payments/initiate,
POST /payments/verify), all fired at the same moment with asyncio, each on its own connection.
Exactly UNITS orders are paid; every other buyer is refused with 409 insufficient_stock
(problem+json), at the cart or at POST /orders, and gets nothing else. The store then holds no
unit and no reservation of the product, and its invariants hold. bench/flash_sale.py times the
same race on the benchmark store."""

from __future__ import annotations

import asyncio
import ssl
from collections import Counter

import httpx
import pytest

from tests.conftest import API, assert_problem
from tests.helpers_cart import make_product, stock
from tests.helpers_orders import Buyer, buyer, checkout_result, watch_invariants
from tests.reliability import Tally, report

BUYERS = 256
UNITS = 100
# Where a loser may be refused: at the cart (the units were already reserved) or when its
# order reserves them.
REFUSING_PATHS = {f"{API}/cart/items", f"{API}/orders"}


@pytest.fixture(autouse=True)
def invariants(db):
    yield from watch_invariants(db)


async def checkout(http: httpx.AsyncClient, user: Buyer, product: int) -> list[httpx.Response]:
    """The checkout's steps in turn, up to the first that fails; their answers (the last one
    ended the checkout: the verify's for a winner)."""
    answers = [
        await http.post(
            "/cart/items", json={"product_id": product, "quantity": 1}, headers=user.headers
        )
    ]
    if answers[-1].status_code != 201:
        return answers
    body = {"address_id": user.address_id}
    answers.append(await http.post("/orders", json=body, headers=user.headers))
    if answers[-1].status_code != 201:
        return answers
    body = {"order_id": answers[-1].json()["id"]}
    answers.append(await http.post("/payments/initiate", json=body, headers=user.headers))
    if answers[-1].status_code != 201:
        return answers
    result = checkout_result(answers[-1].json()["gateway_order_id"])
    answers.append(await http.post("/payments/verify", json=result, headers=user.headers))
    return answers


def flash_sale(server, buyers: list[Buyer], product: int) -> list[list[httpx.Response]]:
    """Every buyer's checkout started at the same moment, each buyer with a client of its own,
    as each shopper has their own phone. Not one client with 256 connections (at_once in
    test_checkout_races.py): through httpx's one pool the race took 14-18 s here against
    2.5-5.4 s (its pool looks over every connection for each request: bench/checkout.py), and
    a connection it left idle past uvicorn's keep-alive of 5 s was closed as it was reused
    (httpx.ReadError)."""

    async def run() -> list[list[httpx.Response]]:
        tls = ssl.create_default_context()  # one for all: loading the CAs 256 times takes 6 s
        clients = [
            httpx.AsyncClient(base_url=server.base_url + API, timeout=30, verify=tls)
            for _ in buyers
        ]
        try:
            return await asyncio.gather(
                *(checkout(http, user, product) for http, user in zip(clients, buyers, strict=True))
            )
        finally:
            await asyncio.gather(*(http.aclose() for http in clients))

    return asyncio.run(run())


def test_a_flash_sale_sells_every_unit_once_and_refuses_the_rest(
    server, client, db, category, invariants
):
    buyers = [buyer(client) for _ in range(BUYERS)]
    product = make_product(db, category, price=49900, stock=UNITS)

    checkouts = flash_sale(server, buyers, product)

    tally = Tally()
    for answers in checkouts:
        tally.responses(answers)
    ends = [answers[-1] for answers in checkouts]
    how = Counter((end.request.url.path, end.status_code) for end in ends)
    winners = [end for end in ends if end.request.url.path == f"{API}/payments/verify"]
    losers = [end for end in ends if end.request.url.path in REFUSING_PATHS]
    assert len(winners) + len(losers) == BUYERS, how
    assert [a.status_code for a in winners] == [200] * UNITS, how
    assert {a.json()["order_status"] for a in winners} == {"confirmed"}
    for answer in losers:
        assert_problem(answer, 409, "insufficient_stock")

    assert stock(db, product) == (0, 0), "every unit sold, none reserved"
    paid, sold, reservations, units_sold = db.execute(
        """
        SELECT
            (SELECT count(*) FROM store.orders AS o
             INNER JOIN store.order_items AS oi ON oi.user_id = o.user_id AND oi.order_id = o.id
             INNER JOIN store.payments AS p ON p.user_id = o.user_id AND p.order_id = o.id
             WHERE oi.product_id = %(product)s AND o.status = 'confirmed'
                AND p.status = 'captured'),
            (SELECT coalesce(sum(quantity), 0) FROM store.inventory_locks
             WHERE product_id = %(product)s AND status = 'consumed'),
            (SELECT count(*) FROM store.inventory_locks
             WHERE product_id = %(product)s AND status = 'active'),
            (SELECT units_sold FROM store.inventory WHERE product_id = %(product)s)
        """,
        {"product": product},
    ).fetchone()
    assert (paid, sold, reservations, units_sold) == (UNITS, UNITS, 0, UNITS)
    found = invariants.new()
    report(f"flash sale: {BUYERS} buyers, {UNITS} units", tally, violations=len(found))
    assert found == [], found
