"""Events end to end, over real HTTP, a real worker and a real RabbitMQ (docs/operations.md
"Events"): what an order's life writes to the outbox, what the relay publishes and in which
order, what each consumer does with it, the standby relay, retries, the dead-letter queue and
its replay, and the broker's faults: RabbitMQ stopped during checkouts and refunds, a consumer
killed in the middle of a refund, a poison message."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from app.consumers import ORDER_UPDATES
from tests.conftest import ROOT, new_phone
from tests.fake_razorpay import FakeRazorpay
from tests.helpers_cart import make_product
from tests.helpers_orders import (
    Invariants,
    buyer,
    pay,
    place_order,
    refund_event,
    send_webhook,
    sent_refund,
)
from tests.worker import Worker, publish_raw, queue_depths, topology


@pytest.fixture
def fake_razorpay():
    with FakeRazorpay() as fake:
        yield fake


def wait_for(condition, timeout: float = 20, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.05)
    return value


def events_of(db, order_id: int) -> list[tuple]:
    return db.execute(
        "SELECT id, topic, published_at IS NOT NULL FROM store.outbox_events"
        " WHERE order_id = %s ORDER BY id",
        (order_id,),
    ).fetchall()


def handled_by(db, consumer: str, event_ids: list[int]) -> int:
    return db.execute(
        "SELECT count(*) FROM store.processed_messages WHERE consumer = %s AND event_id = ANY(%s)",
        (consumer, event_ids),
    ).fetchone()[0]


def all_published(db) -> bool:
    return db.execute(
        "SELECT NOT EXISTS (SELECT FROM store.outbox_events WHERE published_at IS NULL)"
    ).fetchone()[0]


def refund(client, user, order_id: int, amount: int | None = None) -> dict:
    body = {"order_id": order_id, "reason": "Events test", **({"amount": amount} if amount else {})}
    made = client.post("/refunds", json=body, headers=user.headers)
    assert made.status_code == 201, made.text
    return made.json()


def dead_letters_cli(worker: Worker, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.worker", *args],
        cwd=ROOT,
        env={**os.environ, **worker.env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# --- an order's life ------------------------------------------------------------------------


def test_an_orders_life_is_published_in_order_and_each_consumer_handles_it_once(
    client, db, worker, category
):
    product = make_product(db, category, price=25000, stock=5)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)])
    pay(client, user, order["id"])
    cancelled = client.post(f"/orders/{order['id']}/cancel", headers=user.headers)
    assert cancelled.status_code == 200, cancelled.text
    [made] = cancelled.json()["refunds"]

    topics = ["order.placed", "order.paid", "refund.requested", "order.cancelled"]
    wait_for(lambda: [e[1:] for e in events_of(db, order["id"])] == [(t, True) for t in topics])
    ids = [event_id for event_id, _, _ in events_of(db, order["id"])]
    assert sent_refund(db, made["id"])["gateway_refund_id"].startswith("rfnd_")
    wait_for(lambda: handled_by(db, "notifications", ids) == 3, what="order notifications")
    assert handled_by(db, "refunds", ids) == 1

    # The customer's messages went out in the order the order lived them.
    phone = user_phone(db, user.id)

    def logged() -> list[str]:
        return [line for line in worker.log().splitlines() if f"order {order['id']} " in line]

    lines = wait_for(lambda: len(logged()) == 3 and logged(), what="three messages logged")
    expected = [ORDER_UPDATES[t] for t in ("order.placed", "order.paid", "order.cancelled")]
    assert [next(u for u in expected if u in line) for line in lines] == expected, lines
    assert all(f"+91******{phone[-4:]}" in line for line in lines)


def user_phone(db, user_id: int) -> str:
    return db.execute("SELECT phone FROM store.users WHERE id = %s", (user_id,)).fetchone()[0]


def test_a_processed_refund_notifies_the_customer(client, db, worker, category):
    product = make_product(db, category, price=40000, stock=2)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)])
    result = pay(client, user, order["id"])
    made = refund(client, user, order["id"], amount=12345)
    gateway_id = sent_refund(db, made["id"])["gateway_refund_id"]
    event = refund_event("refund.processed", gateway_id, result["gateway_payment_id"], 12345)
    assert send_webhook(client, event).json()["outcome"] == "refund_processed"
    worker.wait_for_log(f"order {order['id']} refund of Rs 123.45 is processed")


# --- the relay --------------------------------------------------------------------------------


def test_a_second_worker_stands_by_and_takes_over_when_the_first_dies(
    client, db, worker, replace_worker, tmp_path
):
    first = replace_worker()
    second = Worker(first.env, tmp_path / "second.log")
    try:
        second.wait_for_log("relay standing by")
        first.kill()
        second.wait_for_log("relay active")
        phone = new_phone()
        assert client.post("/auth/send-otp", json={"phone": phone}).status_code == 200
        second.wait_for_log(f"OTP for +91******{phone[-4:]} is")
        wait_for(lambda: all_published(db), what="the outbox drained by the new relay")
    finally:
        second.stop()


# --- retries, the dead-letter queue and its replay --------------------------------------------


def test_a_poison_message_ends_in_the_dead_letter_queue_and_can_be_shown(worker):
    prefix = worker.env["BROKER_PREFIX"]
    dead = topology(prefix).dead("refunds")
    assert queue_depths(prefix)[dead] == 0
    publish_raw(prefix, "refund.requested", b"{not json", message_id="987654321")

    wait_for(lambda: queue_depths(prefix)[dead] == 1, what="the poison message dead-lettered")
    worker.wait_for_log("refunds: event 987654321 (refund.requested) failed on attempt 3, dead")
    listed = dead_letters_cli(worker, "dead")
    assert f"{dead}: 1 messages" in listed
    assert "event 987654321 refund.requested after 3 attempts: JSONDecodeError" in listed
    assert queue_depths(prefix)[dead] == 1, "listing leaves the messages where they were"

    # Replayed, it fails its three attempts again and is back: nothing is lost either way.
    assert "1 messages sent back" in dead_letters_cli(worker, "replay", "refunds", "987654321")
    worker.wait_for_log("event 987654321 (refund.requested) failed on attempt 3, dead", count=2)
    wait_for(lambda: queue_depths(prefix)[dead] == 1, what="dead-lettered again")
    dead_letters_cli(worker, "replay", "refunds", "1")  # another event id: nothing moves
    assert queue_depths(prefix)[dead] == 1
    assert "1 messages sent back" in dead_letters_cli(worker, "replay", "refunds")
    wait_for(lambda: queue_depths(prefix)[dead] == 1, what="dead-lettered a third time")
    # Looked at and given up on: dropped.
    assert "1 messages dropped" in dead_letters_cli(worker, "drop", "refunds", "987654321")
    assert queue_depths(prefix)[dead] == 0


def test_a_refund_the_gateway_cannot_take_is_retried_dead_lettered_then_replayed(
    client, db, replace_worker, fake_razorpay, category
):
    fake_razorpay.status = 500
    worker = replace_worker(**fake_razorpay.settings())
    prefix = worker.env["BROKER_PREFIX"]
    dead = topology(prefix).dead("refunds")
    dead_before = queue_depths(prefix)[dead]
    product = make_product(db, category, price=30000, stock=2)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)])
    pay(client, user, order["id"])
    made = refund(client, user, order["id"])

    wait_for(
        lambda: queue_depths(prefix)[dead] == dead_before + 1,
        what="dead-lettered after 3 attempts",
    )
    assert len(fake_razorpay.requests_for(made["id"])) == 3
    assert db.execute(
        "SELECT status, gateway_refund_id FROM store.refunds WHERE id = %s", (made["id"],)
    ).fetchone() == ("pending", None)

    fake_razorpay.status = 200
    event_id = str(refund_event_id(db, made["id"]))
    assert "1 messages sent back" in dead_letters_cli(worker, "replay", "refunds", event_id)
    made_at_gateway = fake_razorpay.refunds[f"jk-refund-{made['id']}"]
    assert sent_refund(db, made["id"])["gateway_refund_id"] == made_at_gateway["id"]
    assert len(fake_razorpay.refunds) == 1 and queue_depths(prefix)[dead] == dead_before


def test_the_sweeper_sends_a_refund_again_when_its_message_was_lost(
    client, db, replace_worker, fake_razorpay, category
):
    fake_razorpay.status = 500
    worker = replace_worker(**fake_razorpay.settings())
    product = make_product(db, category, price=30000, stock=2)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)])
    pay(client, user, order["id"])
    made = refund(client, user, order["id"])
    wait_for(lambda: len(fake_razorpay.requests_for(made["id"])) == 3, what="three attempts")
    worker.wait_for_log("failed on attempt 3, dead")

    # Dead-lettered and forgotten: a quarter of an hour later, the sweeper queues it again.
    fake_razorpay.status = 200
    db.execute(
        "UPDATE store.refunds SET queued_at = queued_at - interval '16 minutes' WHERE id = %s",
        (made["id"],),
    )
    swept = db.execute("SELECT api.sweep()").fetchone()[0]
    assert swept["refunds_requeued"] == 1
    assert sent_refund(db, made["id"])["gateway_refund_id"].startswith("rfnd_")
    assert len(fake_razorpay.refunds) == 1


# --- broker faults ----------------------------------------------------------------------------


def rabbitmqctl(*args: str) -> None:
    done = subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_rabbitmq_stopped_for_10_seconds_loses_nothing(client, db, worker, category):
    """Checkouts and refunds go on while RabbitMQ is down for 10 s; afterwards every event is
    published and handled by every consumer bound to it, once, and the books balance."""
    first_event = db.execute("SELECT coalesce(max(id), 0) FROM store.outbox_events").fetchone()[0]
    invariants = Invariants(db)
    product = make_product(db, category, price=20000, stock=1000)
    answers: list[int] = []
    refunds: list[int] = []
    stop = threading.Event()

    def shop() -> None:
        while not stop.is_set():
            user = buyer(client)
            order = place_order(client, user, [(product, 1)])
            pay(client, user, order["id"])
            refunds.append(refund(client, user, order["id"])["id"])
            answers.append(order["id"])

    shopper = threading.Thread(target=shop)
    shopper.start()
    try:
        wait_for(lambda: len(answers) >= 3, what="checkouts before the outage")
        rabbitmqctl("stop_app")
        down_at = len(answers)
        time.sleep(10)
        during = len(answers) - down_at
        rabbitmqctl("start_app")
        wait_for(lambda: len(answers) >= down_at + during + 3, what="checkouts after it")
    finally:
        stop.set()
        shopper.join(timeout=60)

    assert during >= 3, "checkouts and refunds went on while RabbitMQ was down"
    worker.wait_for_log("relay stopped")
    wait_for(lambda: all_published(db), timeout=60, what="every event published")
    for refund_id in refunds:
        assert sent_refund(db, refund_id, timeout=60)["gateway_refund_id"].startswith("rfnd_")
    missing = """
        SELECT e.id, e.topic, c.consumer
        FROM store.outbox_events AS e
        CROSS JOIN (VALUES ('refunds', '^refund\\.requested$'), ('otp_sms', '^otp\\.requested$'),
            ('notifications', '^(order\\.[a-z_]+|refund\\.settled)$')) AS c (consumer, pattern)
        WHERE e.id > %s AND e.topic ~ c.pattern
            AND NOT EXISTS (SELECT FROM store.processed_messages AS m
                WHERE m.event_id = e.id AND m.consumer = c.consumer)
    """
    wait_for(
        lambda: db.execute(missing, (first_event,)).fetchall() == [],
        timeout=60,
        what="every event handled by every consumer bound to it",
    )
    invariants.check()


def test_a_consumer_killed_mid_refund_gets_it_again_and_the_gateway_refunds_once(
    client, db, replace_worker, fake_razorpay, category
):
    fake_razorpay.delay = 3.0  # the gateway is slow: the worker dies while it waits
    worker = replace_worker(**fake_razorpay.settings())
    product = make_product(db, category, price=30000, stock=2)
    user = buyer(client)
    order = place_order(client, user, [(product, 1)])
    pay(client, user, order["id"])
    made = refund(client, user, order["id"])

    wait_for(lambda: fake_razorpay.requests_for(made["id"]), what="the refund at the gateway")
    worker.kill()
    fake_razorpay.delay = 0.0
    worker.start()

    gateway_id = sent_refund(db, made["id"])["gateway_refund_id"]
    total = order["total"]
    assert [r["amount"] for r in fake_razorpay.requests_for(made["id"])] == [total, total], (
        "asked twice, with the same idempotency key"
    )
    assert (
        len(fake_razorpay.refunds) == 1
        and gateway_id == (fake_razorpay.refunds[f"jk-refund-{made['id']}"]["id"])
    ), "and refunded once"
    assert handled_by(db, "refunds", [refund_event_id(db, made["id"])]) == 1


def refund_event_id(db, refund_id: int) -> int:
    return db.execute(
        "SELECT id FROM store.outbox_events WHERE topic = 'refund.requested'"
        " AND (payload ->> 'refund_id')::bigint = %s",
        (refund_id,),
    ).fetchone()[0]
