"""Stock and coupons under contention, with many real connections at once. Each racer has its own
connection and thread, all released together by a barrier, and calls the procedures as create_order
and the payment capture will, inside one transaction, with no retry: any error a client could see is
counted. The cart is raced over real HTTP too. Each race reports its figures (an outcome counts as
2xx, as the JKnnn status it raised, or as 5xx for any other error) and must leave no invariant
violation."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from tests import helpers_cart
from tests.conftest import API
from tests.helpers_cart import (
    call,
    make_coupon,
    make_order,
    make_product,
    make_user,
    shopper,
    stock,
)
from tests.helpers_orders import Invariants
from tests.reliability import Tally, report

LOCK = "SELECT internal.lock_inventory(%s, %s)"
SELL = "SELECT internal.decrease_inventory(%s, %s)"
REDEEM = "SELECT internal.redeem_coupon(%s, %s, %s, %s)"


TALLIES: list[Tally] = []


@pytest.fixture(autouse=True)
def scenario(request, db):
    """The test's figures, counted by race() below, and the invariants around it."""
    watch, tally = Invariants(db), Tally()
    TALLIES.append(tally)
    yield tally
    found = watch.new()
    report(
        "sql race: " + request.node.name.removeprefix("test_").replace("_", " "),
        tally,
        violations=len(found),
    )
    assert found == [], found


def race(db_url: str, works) -> list[helpers_cart.Outcome]:
    """helpers_cart.race, counting each outcome for the report."""
    outcomes = helpers_cart.race(db_url, works)
    for outcome in outcomes:
        status = outcome.sqlstate
        TALLIES[-1].count(
            200 if status is None else int(status[2:]) if status.startswith("JK") else 500
        )
    return outcomes


def orders_for(db, product_ids: list[int], count: int, quantity: int = 1) -> list[tuple[int, int]]:
    """`count` buyers, each with an unpaid order for `quantity` of every product: (user, order)."""
    buyers = []
    for _ in range(count):
        user_id = make_user(db)
        buyers.append((user_id, make_order(db, user_id, [(p, quantity) for p in product_ids])))
    return buyers


def test_buyers_racing_for_the_last_units_never_oversell(db, db_url, category):
    units, buyers = 5, 20
    product = make_product(db, category, stock=units)
    orders = orders_for(db, [product], buyers)

    reserved = race(db_url, [call(LOCK, user, order) for user, order in orders])

    assert Counter(o.sqlstate for o in reserved) == {None: units, "JK409": buyers - units}
    assert {o.message for o in reserved if not o.ok} == {"insufficient_stock"}
    assert stock(db, product) == (units, 0), "all units reserved, none sold yet"

    winners = [order for order, outcome in zip(orders, reserved, strict=True) if outcome.ok]
    sold = race(db_url, [call(SELL, user, order) for user, order in winners])

    assert all(o.ok and o.result == 1 for o in sold), sold
    assert stock(db, product) == (0, 0), "every unit sold once, on hand at zero, not below"
    assert db.execute(
        "SELECT units_sold FROM store.inventory WHERE product_id = %s", (product,)
    ).fetchone() == (units,)


def test_late_captures_and_new_buyers_never_oversell(db, db_url, category):
    """Three orders whose reservations expired are captured while ten new buyers reserve: the
    three units go to exactly three of them, whoever comes first."""
    units = 3
    product = make_product(db, category, stock=units)
    late = orders_for(db, [product], units)
    for user, order in late:
        db.execute(LOCK, (user, order))
    db.execute(
        "UPDATE store.inventory_locks SET expires_at = now() - interval '1 second', "
        "created_at = now() - interval '16 minutes' WHERE product_id = %s",
        (product,),
    )
    new = orders_for(db, [product], 10)

    outcomes = race(
        db_url,
        [call(SELL, user, order) for user, order in late]
        + [call(LOCK, user, order) for user, order in new],
    )

    assert Counter(o.sqlstate for o in outcomes) == {None: units, "JK409": 10}
    on_hand, available = stock(db, product)
    sold = units - on_hand
    reserved = db.execute(
        "SELECT coalesce(sum(quantity), 0) FROM store.inventory_locks "
        "WHERE product_id = %s AND status = 'active' AND expires_at > now()",
        (product,),
    ).fetchone()[0]
    assert sold + reserved == units and available == 0, (sold, reserved, available)


def test_opposite_line_orders_never_deadlock(db, db_url, category):
    """Orders holding the same products, their lines inserted in opposite orders, reserve and
    sell at the same moment, round after round: no deadlock error reaches any caller."""
    products = [make_product(db, category, stock=10_000) for _ in range(4)]
    rounds, racers = 15, 8
    expected_units = 0
    for _ in range(rounds):
        works = []
        for index in range(racers):
            lines = products if index % 2 else list(reversed(products))
            user = make_user(db)
            order = make_order(db, user, [(p, 1) for p in lines])

            def work(conn, user=user, order=order):
                conn.execute(LOCK, (user, order))
                return conn.execute(SELL, (user, order)).fetchone()[0]

            works.append(work)
        outcomes = race(db_url, works)

        assert all(o.ok for o in outcomes), Counter(o.sqlstate for o in outcomes)
        expected_units += racers
    for product in products:
        assert stock(db, product) == (10_000 - expected_units, 10_000 - expected_units)


def test_fifty_buyers_racing_for_a_five_use_coupon(db, db_url):
    coupon_id, _ = make_coupon(db, usage_limit=5)
    orders = orders_for(db, [], 50)

    outcomes = race(
        db_url, [call(REDEEM, user, order, coupon_id, 100000) for user, order in orders]
    )

    assert Counter(o.sqlstate for o in outcomes) == {None: 5, "JK422": 45}
    assert {o.message for o in outcomes if not o.ok} == {"coupon_usage_limit_reached"}
    assert {o.result for o in outcomes if o.ok} == {5000}
    assert db.execute(
        "SELECT c.used_count, (SELECT count(*) FROM store.coupon_usage AS u "
        "WHERE u.coupon_id = c.id AND u.status = 'redeemed') "
        "FROM store.coupons AS c WHERE c.id = %s",
        (coupon_id,),
    ).fetchone() == (5, 5)


def test_checkouts_of_one_product_with_one_coupon_never_deadlock(db, db_url, category):
    """As create_order does: the order takes the coupon (its foreign key locks the coupon row
    KEY SHARE), reserves the product, then redeems. Redeeming once took the coupon FOR
    UPDATE, which waits for the other orders' key locks while they wait for the stock row:
    nine of ten checkouts deadlocked. No deadlock now; the limit still holds."""
    coupon_id, code = make_coupon(db, usage_limit=3)
    product = make_product(db, category, stock=100)
    orders = orders_for(db, [product], 10)

    def checkout(user: int, order: int):
        def work(conn):
            conn.execute(
                "UPDATE store.orders SET coupon_id = %s, coupon_code = %s"
                " WHERE user_id = %s AND id = %s",
                (coupon_id, code, user, order),
            )
            conn.execute(LOCK, (user, order))
            return conn.execute(REDEEM, (user, order, coupon_id, 100000)).fetchone()[0]

        return work

    outcomes = race(db_url, [checkout(user, order) for user, order in orders])

    assert Counter(o.sqlstate for o in outcomes) == {None: 3, "JK422": 7}, outcomes
    assert {o.message for o in outcomes if not o.ok} == {"coupon_usage_limit_reached"}


def test_one_user_racing_a_once_per_user_coupon(db, db_url):
    coupon_id, _ = make_coupon(db, per_user_limit=1)
    user = make_user(db)
    orders = [make_order(db, user, []) for _ in range(10)]

    outcomes = race(db_url, [call(REDEEM, user, order, coupon_id, 100000) for order in orders])

    assert Counter(o.sqlstate for o in outcomes) == {None: 1, "JK422": 9}
    assert {o.message for o in outcomes if not o.ok} == {"coupon_already_used"}


def test_a_use_is_given_back_exactly_once(db, db_url):
    coupon_id, _ = make_coupon(db, usage_limit=3)
    user = make_user(db)
    order = make_order(db, user, [])
    db.execute(REDEEM, (user, order, coupon_id, 100000))

    outcomes = race(db_url, [call("SELECT internal.rollback_coupon(%s, %s)", user, order)] * 10)

    assert sorted(o.result for o in outcomes) == [False] * 9 + [True]
    assert db.execute(
        "SELECT used_count FROM store.coupons WHERE id = %s", (coupon_id,)
    ).fetchone() == (0,)


def test_parallel_adds_to_one_cart_over_http(server, client, db, category, scenario):
    """Fifteen requests add one unit each to the same line at once: the line ends at the cap of
    10, the other five are refused with quantity_limit_exceeded, and none fails."""
    user = shopper(client)
    product = make_product(db, category, stock=100)

    async def add_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.base_url + API, timeout=30) as http:
            return await asyncio.gather(
                *(
                    http.post(
                        "/cart/items",
                        json={"product_id": product, "quantity": 1},
                        headers=user.headers,
                    )
                    for _ in range(15)
                )
            )

    answers = scenario.responses(asyncio.run(add_all()))

    assert Counter(a.status_code for a in answers) == {201: 10, 422: 5}
    assert {a.json()["code"] for a in answers if a.status_code == 422} == {
        "quantity_limit_exceeded"
    }
    body = client.get("/cart", headers=user.headers).json()
    assert [(line["product_id"], line["quantity"]) for line in body["items"]] == [(product, 10)]
