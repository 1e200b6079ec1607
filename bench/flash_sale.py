"""`make bench`'s flash sale (issue 21): `--only flash_sale`, or part of a whole run.

BUYERS_AT_ONCE (256) bench buyers, each with their own user, token, cart and keep-alive
connection (bench/checkout.py's Connection), race for one product with UNITS (100) on hand.
Each does bench/checkout.py's checkout once, for that product: add it to the cart, POST /orders,
POST /payments/initiate, POST /payments/verify, against the API as `make run` serves it
(`uvicorn --workers N`). Every connection is opened first; then all the buyers start at the same
moment. ROUNDS rounds on one server, each from the same start: the buyers' carts empty
(reset_carts), the product at UNITS on hand with no active reservation.

A buyer wins when its payment confirms its order, and loses when it is refused with 409
insufficient_stock as problem+json, at the cart or at POST /orders. Any other answer, or none,
is counted apart. Per round: the losers' answer time (the refused request alone) and the
winners' whole checkout, p50/p99/max; then the store: the product's units on hand, what the
round's orders sold, its active reservations, and internal.check_invariants(). Deadlocks come
from pg_stat_database, read once the server has stopped (its connections flush their counters
as they close): the API retries a deadlock (app/db.py), so no client would see one. The API's
log gives the cause of any 503 (a pool timeout, a lock timeout).

Target: in every round exactly UNITS winners, nothing else but losers, and the losers' p99
under LOSERS_P99_MS. The product's units on hand are put back at the end; its sales stay, as
every checkout scenario's do.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.catalog import log_summary, percentile
from bench.checkout import CHECKOUT_TIMEOUT_SECONDS, VERIFY, Connection, pay
from bench.events import wait_until
from bench.run import (
    APPS,
    BENCH_DB,
    BUYERS,
    SERVER_SETTINGS,
    bearer_token,
    check_invariants,
    log,
    reset_carts,
    start_server,
)

SECTION = "flash_sale"
BUYERS_AT_ONCE = 256
UNITS = 100
ROUNDS = 3
LOSERS_P99_MS = 100.0
# Product 1000 + g with g = 101 k: no other scenario buys it (bench/wrk/common.lua), and it is
# not one of bench/catalog.py's popular products (1001 + 50 k), whose prices that section cuts.
PRODUCT = 1000 + 101 * 2
PROBLEM_JSON = "application/problem+json"


@dataclass
class Answer:
    """How one buyer's checkout ended: "winner", "loser" (refused at "cart" or "order"), or
    what else it got ("POST /orders 503 service_unavailable")."""

    outcome: str
    seconds: float  # a winner's whole checkout; a loser's refused request
    step: str = ""


@dataclass
class Round:
    seconds: float  # from the start to the last answer
    answers: list[Answer]
    on_hand: int  # after the round
    sold: int  # units of the product the round's orders consumed
    units_sold_rise: int  # inventory.units_sold after the round minus before
    orders: dict[str, int]  # the round's orders of the buyers, by status
    active_reservations: int  # of the product, after the round
    violations: list  # internal.check_invariants()

    def outcomes(self, outcome: str) -> list[Answer]:
        return [a for a in self.answers if a.outcome == outcome]

    @property
    def others(self) -> Counter:
        return Counter(a.outcome for a in self.answers if a.outcome not in ("winner", "loser"))

    @property
    def met(self) -> bool:
        losers = [a.seconds * 1000 for a in self.outcomes("loser")]
        return (
            len(self.outcomes("winner")) == UNITS
            and not self.others
            and bool(losers)
            and percentile(losers, 0.99) < LOSERS_P99_MS
        )


@dataclass
class FlashSaleResults:
    rounds: list[Round]
    workers: int
    deadlocks: int  # pg_stat_database, over the whole section
    server_log: Counter  # the API's warnings and errors (bench/catalog.py's log_summary)


def refused(step: str, path: str, status: int, body: dict, http: Connection, sent: float) -> Answer:
    """A loser's answer when the refusal is 409 insufficient_stock problem+json; else what it
    was."""
    if (
        status == 409
        and http.content_type == PROBLEM_JSON
        and body.get("code") == "insufficient_stock"
    ):
        return Answer("loser", time.monotonic() - sent, step)
    return Answer(unexpected(path, status, body, http), 0.0, step)


def unexpected(path: str, status: int, body: dict, http: Connection) -> str:
    """An answer no buyer should get, as "POST /orders 503 service_unavailable (The store is
    busy; please retry)": the detail tells a 503's causes apart (app/errors.py)."""
    what = body.get("code") or body.get("order_status") or http.content_type
    return f"POST {path} {status} {what}" + (f" ({body['detail']})" if body.get("detail") else "")


async def checkout_once(http: Connection, user_id: int, token: str, key_secret: str) -> Answer:
    """bench/checkout.py's checkout, of PRODUCT, telling how it ended."""
    started = time.monotonic()
    status, body = await http.post("/cart/items", {"product_id": PRODUCT, "quantity": 1}, token)
    if status != 201:
        return refused("cart", "/cart/items", status, body, http, started)
    sent = time.monotonic()
    # Bench users' default address id = user id.
    status, order = await http.post("/orders", {"address_id": user_id}, token)
    if status != 201:
        return refused("order", "/orders", status, order, http, sent)
    path, status, paid = await pay(http, order["id"], token, key_secret)
    if path != VERIFY or status != 200 or paid.get("order_status") != "confirmed":
        return Answer(unexpected(path, status, paid, http), 0.0)
    return Answer("winner", time.monotonic() - started)


async def race(base: str, buyers: list[tuple[int, str]], key_secret: str) -> tuple[list, float]:
    """Every buyer's answer, and the seconds from the start to the last one."""
    connections = await asyncio.gather(*(Connection.open(base) for _ in buyers))
    start = asyncio.Event()

    async def buyer(http: Connection, user_id: int, token: str) -> Answer:
        await start.wait()
        try:
            async with asyncio.timeout(CHECKOUT_TIMEOUT_SECONDS):
                return await checkout_once(http, user_id, token, key_secret)
        except (OSError, EOFError, TimeoutError) as exc:
            return Answer(f"no answer ({type(exc).__name__})", 0.0)

    tasks = [
        asyncio.create_task(buyer(http, user_id, token))
        for http, (user_id, token) in zip(connections, buyers, strict=True)
    ]
    await asyncio.sleep(0)  # every buyer is waiting for the start
    started = time.monotonic()
    start.set()
    answers = await asyncio.gather(*tasks)
    seconds = time.monotonic() - started
    await asyncio.gather(*(http.close() for http in connections))
    return answers, seconds


def prepare_round(url: str) -> tuple:
    """The buyers' carts empty and the product at UNITS with no reservation; the round's start
    (the database's clock) and the product's units sold then."""
    reset_carts(url)
    with psycopg.connect(url, autocommit=True) as conn:
        cancel_unpaid_orders(conn)
        conn.execute(
            "UPDATE store.inventory SET on_hand = %s WHERE product_id = %s", (UNITS, PRODUCT)
        )
        reserved = active_reservations(conn)
        if reserved:
            raise SystemExit(
                f"bench: product {PRODUCT} holds {reserved} active reservations of users other"
                " than the bench's buyers"
            )
        return conn.execute(
            "SELECT now(), units_sold FROM store.inventory WHERE product_id = %s", (PRODUCT,)
        ).fetchone()


def cancel_unpaid_orders(conn: psycopg.Connection) -> None:
    """The buyers' orders still holding the product's units (a round in which a winner's
    payment failed, or an interrupted run), cancelled as their buyer would cancel them: the
    reservations are released and the store's invariants still hold."""
    for user_id, order_id in conn.execute(
        "SELECT DISTINCT user_id, order_id FROM store.inventory_locks"
        " WHERE product_id = %s AND status = 'active' AND user_id BETWEEN %s AND %s",
        (PRODUCT, BUYERS[0], BUYERS[-1]),
    ).fetchall():
        conn.execute(
            "SELECT api.cancel_order(%s, %s, 'bench: the flash sale ended')", (user_id, order_id)
        )


def active_reservations(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM store.inventory_locks"
        " WHERE product_id = %s AND status = 'active' AND expires_at > now()",
        (PRODUCT,),
    ).fetchone()[0]


def deadlocks(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = %s", (BENCH_DB,)
        ).fetchone()[0]


def store_after(url: str, user_ids: list[int], since, sales_before: int) -> dict:
    """What the round left in the store (Round's fields)."""
    with psycopg.connect(url, autocommit=True) as conn:
        on_hand, units_sold = conn.execute(
            "SELECT on_hand, units_sold FROM store.inventory WHERE product_id = %s", (PRODUCT,)
        ).fetchone()
        sold = conn.execute(
            "SELECT coalesce(sum(quantity), 0) FROM store.inventory_locks"
            " WHERE user_id = ANY(%s) AND product_id = %s AND status = 'consumed'"
            " AND created_at >= %s",
            (user_ids, PRODUCT, since),
        ).fetchone()[0]
        orders = dict(
            conn.execute(
                "SELECT status, count(*) FROM store.orders"
                " WHERE user_id = ANY(%s) AND created_at >= %s GROUP BY status",
                (user_ids, since),
            ).fetchall()
        )
        reserved = active_reservations(conn)
    return {
        "on_hand": on_hand,
        "sold": sold,
        "units_sold_rise": units_sold - sales_before,
        "orders": orders,
        "active_reservations": reserved,
        "violations": check_invariants(url),
    }


def run(url: str, args: argparse.Namespace, folder: Path) -> FlashSaleResults:
    buyers = [(user_id, bearer_token(user_id)) for user_id in BUYERS[:BUYERS_AT_ONCE]]
    user_ids = [user_id for user_id, _ in buyers]
    key_secret = SERVER_SETTINGS.razorpay_key_secret
    with psycopg.connect(url, autocommit=True) as conn:
        on_hand_before = conn.execute(
            "SELECT on_hand FROM store.inventory WHERE product_id = %s", (PRODUCT,)
        ).fetchone()[0]
    deadlocks_before = deadlocks(url)
    rounds = []
    server_log = folder / "flash-sale-api.log"
    api, base = start_server(APPS["API"], url, args.workers, server_log)
    try:
        for number in range(1, ROUNDS + 1):
            since, sales_before = prepare_round(url)
            log(f"flash sale, round {number}: {len(buyers)} buyers, {UNITS} units")
            answers, seconds = asyncio.run(race(base, buyers, key_secret))
            rounds.append(
                Round(seconds, answers, **store_after(url, user_ids, since, sales_before))
            )
    finally:
        api.terminate()
        api.wait(timeout=15)
        # Its connections flush their counters as they close (deadlocks, read below).
        wait_until(
            url,
            "SELECT NOT EXISTS (SELECT FROM pg_stat_activity"
            " WHERE datname = %s AND application_name LIKE 'jiokidz-api-%%')",
            (BENCH_DB,),
            seconds=30,
        )
        reset_carts(url)
        with psycopg.connect(url, autocommit=True) as conn:
            cancel_unpaid_orders(conn)
            conn.execute(
                "UPDATE store.inventory SET on_hand = %s WHERE product_id = %s",
                (on_hand_before, PRODUCT),
            )
    return FlashSaleResults(
        rounds, args.workers, deadlocks(url) - deadlocks_before, log_summary(server_log)
    )


def milliseconds(answers: list[Answer]) -> str:
    """p50 / p99 / max of the answers' times, in ms."""
    values = [a.seconds * 1000 for a in answers]
    if not values:
        return "—"
    return " / ".join(f"{percentile(values, p):.0f}" for p in (0.50, 0.99, 1.0))


def report(results: FlashSaleResults) -> list[str]:
    lines = [
        "",
        "## Flash sale (issue 21)",
        "",
        f"{BUYERS_AT_ONCE} buyers (their own users, tokens, carts and connections) released at"
        f" once on one product with {UNITS} units, each doing the checkout once (cart, order,"
        f" initiate, verify) against the API (`uvicorn --workers {results.workers}`); {ROUNDS}"
        " rounds, each from empty carts and the product at"
        f" {UNITS} units with no reservation. Losers: 409 insufficient_stock problem+json, at"
        " the cart or at POST /orders, timed on the refused request; winners: their whole"
        " checkout. Target: exactly"
        f" {UNITS} winners and nothing but losers besides; losers p99 < {LOSERS_P99_MS:.0f} ms.",
        "",
        "| round | winners | losers (cart / order) | other answers | losers p50 / p99 / max ms "
        "| winners' checkout p50 / p99 / max ms | last answer s | on hand after; sold; "
        "units sold rise | active reservations | invariants | met |",
        "| ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for number, sale in enumerate(results.rounds, start=1):
        losers = sale.outcomes("loser")
        at_cart = sum(a.step == "cart" for a in losers)
        others = ", ".join(f"{n} × {what}" for what, n in sale.others.most_common()) or "0"
        rules = Counter(violation["rule"] for violation in sale.violations)
        invariants = (
            "none violated"
            if not rules
            else "VIOLATED: " + ", ".join(f"{rule} ×{n}" for rule, n in rules.most_common())
        )
        lines.append(
            f"| {number} | {len(sale.outcomes('winner'))} | {len(losers)} ({at_cart} /"
            f" {len(losers) - at_cart}) | {others} | {milliseconds(losers)}"
            f" | {milliseconds(sale.outcomes('winner'))} | {sale.seconds:.2f}"
            f" | {sale.on_hand}; {sale.sold}; {sale.units_sold_rise}"
            f" | {sale.active_reservations} | {invariants} | {'yes' if sale.met else 'no'} |"
        )
    met = sum(sale.met for sale in results.rounds)
    orders = Counter()
    for sale in results.rounds:
        orders.update(sale.orders)
    lines += [
        "",
        "| target | met |",
        "| --- | --- |",
        f"| exactly {UNITS} winners; losers p99 < {LOSERS_P99_MS:.0f} ms "
        f"| {'yes' if met == len(results.rounds) else 'no'} ({met} of {len(results.rounds)}"
        " rounds) |",
        "",
        "The rounds' orders (of the buyers, placed during the round) by status: "
        + (", ".join(f"{status} {n}" for status, n in sorted(orders.items())) or "none")
        + f". Deadlocks in {BENCH_DB} during the section (pg_stat_database): "
        f"{results.deadlocks}. Warnings and errors in the API's log (count × level, logger:"
        " message, numbers as #): "
        + ("; ".join(f"{n} × {line}" for line, n in results.server_log.most_common()) or "none")
        + ".",
        "",
    ]
    return lines
