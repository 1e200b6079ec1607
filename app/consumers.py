"""The consumers of the store's events (app/broker.py), run by the worker (app/worker.py):

- refunds (refund.requested): sends a pending refund to the payment gateway with the
  idempotency key jk-refund-<refund id>, and records the gateway's refund id; a refusal (not
  an outage) marks it failed and gives its amount back.
- otp_sms (otp.requested): delivers a login code by SMS, unless it has expired meanwhile.
- notifications (order.*, refund.settled): tells the customer by SMS what happened to an order.

A consumer handles up to PREFETCH messages at once, but those of one order one after another,
in the order the relay published them (a lock per order, taken in arrival order), so a customer
hears "confirmed" after "placed". A retried message loses its place. Each is idempotent: a
message is handled only if the consumer's processed-message record does not hold its event id
yet, and the record is written once it has been handled. A crash between the two handles the
message again, so each handler is safe to repeat: the refund reads its row (api.refund_to_send)
and the gateway keeps the key; an SMS may, rarely, arrive twice. A failure is retried with
growing waits, then dead-lettered (app/broker.py)."""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aio_pika.abc import AbstractIncomingMessage
from psycopg_pool import AsyncConnectionPool

from app.broker import ORDER_HEADER, Broker, attempt_of
from app.gateway import GatewayError, PaymentGateway
from app.metrics import CONSUMER_FAILURES, MESSAGES_HANDLED
from app.sms import SmsBackend, masked
from generated import calls

log = logging.getLogger("jiokidz.consumers")

Handler = Callable[[str, dict[str, Any]], Awaitable[None]]  # (topic, event) -> None

# Each consumer's name (its queue, its processed-message records) and the topics its queue is
# bound to.
TOPICS = {
    "refunds": ("refund.requested",),
    "otp_sms": ("otp.requested",),
    "notifications": ("order.*", "refund.settled"),
}

# What the customer is told, by topic; the other events send nothing.
ORDER_UPDATES = {
    "order.placed": "is placed; it is confirmed once paid",
    "order.paid": "is confirmed: payment received",
    "order.confirmed": "is confirmed: pay in cash on delivery",
    "order.shipped": "has shipped",
    "order.delivered": "has been delivered",
    "order.cancelled": "is cancelled",
    "order.expired": "was not paid in time and is cancelled",
    "order.returned": "came back to us undelivered and is cancelled",
}


@dataclass(frozen=True)
class Consumer:
    name: str  # its queue and its processed-message records
    topics: tuple[str, ...]  # routing keys its queue is bound to
    handle: Handler


class Consumers:
    def __init__(
        self,
        pool: AsyncConnectionPool,
        broker: Broker,
        gateway: PaymentGateway,
        sms: SmsBackend,
    ):
        self.pool, self.broker, self.gateway, self.sms = pool, broker, gateway, sms
        handlers = {
            "refunds": self.send_refund,
            "otp_sms": self.send_otp,
            "notifications": self.notify,
        }
        self.all = tuple(Consumer(name, TOPICS[name], handlers[name]) for name in TOPICS)

    async def start(self) -> None:
        """Declares each consumer's queues and starts consuming (aio-pika restores both after
        a reconnection)."""
        for consumer in self.all:
            queue = await self.broker.declare(consumer.name, consumer.topics)
            await queue.consume(self.receiver(consumer))

    def receiver(self, consumer: Consumer) -> Callable[[AbstractIncomingMessage], Awaitable[None]]:
        # aio-pika starts one task per delivery, in delivery order; an order's lock is taken
        # before the task first waits, so its messages queue on it in that order.
        locks: weakref.WeakValueDictionary[Any, asyncio.Lock] = weakref.WeakValueDictionary()

        async def receive(message: AbstractIncomingMessage) -> None:
            order_id = (message.headers or {}).get(ORDER_HEADER)
            lock = locks.setdefault(order_id, asyncio.Lock()) if order_id else asyncio.Lock()
            async with lock:
                outcome = await self.handle(consumer, message)
                await message.ack()
            MESSAGES_HANDLED.labels(consumer.name, outcome).inc()

        return receive

    async def handle(self, consumer: Consumer, message: AbstractIncomingMessage) -> str:
        """done, duplicate, or after a failure retried or dead. If the failure cannot even be
        passed on (RabbitMQ gone), this raises and the message, unacknowledged, comes back."""
        try:
            event_id = int(message.message_id or "")
            ids = {"p_consumer": consumer.name, "p_event_id": event_id}
            if json.loads(await calls.message_processed(self.pool, **ids))["processed"]:
                return "duplicate"
            await consumer.handle(message.type or "", json.loads(message.body))
            await calls.record_processed(self.pool, **ids)
            return "done"
        except Exception as exc:  # noqa: BLE001 - every failure is retried, then dead-lettered
            CONSUMER_FAILURES.labels(consumer.name).inc()
            error = f"{type(exc).__name__}: {exc}"[:500]
            outcome = await self.broker.retry_or_bury(consumer.name, message, error)
            log.warning(
                "%s: event %s (%s) failed on attempt %s, %s: %s",
                consumer.name,
                message.message_id,
                message.type,
                attempt_of(message),
                outcome,
                error,
            )
            return outcome

    async def send_refund(self, topic: str, event: dict[str, Any]) -> None:
        ids = {"p_user_id": event["user_id"], "p_refund_id": event["refund_id"]}
        todo = json.loads(await calls.refund_to_send(self.pool, **ids))
        if not todo["send"]:
            return  # sent already, or final
        try:
            sent = await self.gateway.refund(
                todo["gateway_payment_id"], todo["amount"], f"jk-refund-{event['refund_id']}"
            )
        except GatewayError as exc:
            if exc.retryable:
                raise
            await calls.fail_gateway_refund(self.pool, **ids)
            log.warning("refund %s refused by the gateway: %s", event["refund_id"], exc)
            return
        await calls.attach_gateway_refund(self.pool, **ids, p_gateway_refund_id=sent.id)

    async def send_otp(self, topic: str, event: dict[str, Any]) -> None:
        if datetime.fromisoformat(event["expires_at"]) <= datetime.now(UTC):
            log.info("OTP for %s expired before it could be sent", masked(event["phone"]))
            return
        await self.sms.send_otp(event["phone"], event["code"])

    async def notify(self, topic: str, event: dict[str, Any]) -> None:
        if topic == "refund.settled":
            processed = event["status"] == "processed"
            update = f"refund of Rs {event['amount'] / 100:.2f} is processed" if processed else ""
        else:
            update = ORDER_UPDATES.get(topic, "")
        if update and event.get("phone"):
            await self.sms.send_notification(event["phone"], str(event["order_id"]), update)
