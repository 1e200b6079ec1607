"""RabbitMQ, through aio-pika, for the store's events (docs/operations.md "Events").

- One durable topic exchange, `<prefix>.events`. The relay (app/relay.py) publishes the outbox
  to it with publisher confirms: persistent messages, `message_id` the outbox id, `type` and
  routing key the topic, the request's trace context in the headers.
- Per consumer (app/consumers.py), a durable quorum queue `<prefix>.<consumer>` bound to its
  topics, and a dead-letter queue `<prefix>.<consumer>.dead`.
- A message whose handling fails goes to a retry queue `<prefix>.<consumer>.retry.<ms>`: it
  waits there for its TTL, then RabbitMQ dead-letters it back to the consumer's queue. The
  waits grow 4× each time (CONSUMER_RETRY_BASE_SECONDS); after CONSUMER_ATTEMPTS failures the
  message goes to the dead-letter queue instead. A message that kills its consumer again and
  again ends there too: the quorum queue's delivery limit.
- `python -m app.worker dead` shows the dead-letter queues; `... replay` sends them back."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)

from app.settings import Settings

log = logging.getLogger("jiokidz.broker")

# Which attempt a delivery is (1 when absent); in a dead-letter queue, how many were made.
ATTEMPT_HEADER = "x-attempt"
ERROR_HEADER = "x-error"  # why the last attempt failed
ORDER_HEADER = "x-order-id"  # the order an event concerns, for handling in order (consumers)
PREFETCH = 16  # messages a consumer handles at once
# Deliveries of one message its consumer may die on before RabbitMQ dead-letters it. Fixed:
# a queue's arguments cannot change once it exists (CONSUMER_ATTEMPTS can).
DELIVERY_LIMIT = 10


@dataclass(frozen=True)
class Topology:
    """The names under BROKER_PREFIX, and the retry waits."""

    prefix: str
    attempts: int
    retry_base_seconds: float

    @classmethod
    def of(cls, settings: Settings) -> Topology:
        return cls(
            settings.broker_prefix, settings.consumer_attempts, settings.consumer_retry_base_seconds
        )

    @property
    def exchange(self) -> str:
        return f"{self.prefix}.events"

    def queue(self, consumer: str) -> str:
        return f"{self.prefix}.{consumer}"

    def dead(self, consumer: str) -> str:
        return f"{self.prefix}.{consumer}.dead"

    def retry_ms(self, attempt: int) -> int:
        """The wait after the `attempt`-th failure: BASE, 4×BASE, 16×BASE... in milliseconds."""
        return max(1, round(self.retry_base_seconds * 4 ** (attempt - 1) * 1000))

    def retry(self, consumer: str, attempt: int) -> str:
        return f"{self.prefix}.{consumer}.retry.{self.retry_ms(attempt)}"

    def queues(self, consumer: str) -> list[str]:
        """Every queue declare() makes for the consumer."""
        retries = [self.retry(consumer, attempt) for attempt in range(1, self.attempts)]
        return [self.queue(consumer), self.dead(consumer), *retries]


class Broker:
    """One robust connection (aio-pika reconnects it, and restores the declared queues and
    their consumers) with one confirming channel."""

    def __init__(self, settings: Settings):
        self.url = settings.broker_url
        self.topology = Topology.of(settings)
        self.connection: AbstractRobustConnection | None = None
        self.channel: AbstractChannel | None = None
        self.exchange: AbstractExchange | None = None

    async def connect(self, name: str) -> None:
        """Raises (OSError, aio_pika's AMQPConnectionError) when RabbitMQ does not answer."""
        self.connection = await aio_pika.connect_robust(
            self.url, client_properties={"connection_name": name}
        )
        # Publisher confirms (aio-pika's default): publish() returns once RabbitMQ has the
        # message on disk, and raises if it refuses it.
        self.channel = await self.connection.channel(publisher_confirms=True)
        await self.channel.set_qos(prefetch_count=PREFETCH)
        self.exchange = await self.channel.declare_exchange(
            self.topology.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )

    async def declare(self, consumer: str, topics: Iterable[str]) -> AbstractQueue:
        """The consumer's queue bound to its topics, its dead-letter queue and its retry
        queues; idempotent."""
        names = self.topology
        await self.channel.declare_queue(
            names.dead(consumer), durable=True, arguments={"x-queue-type": "quorum"}
        )
        queue = await self.channel.declare_queue(
            names.queue(consumer),
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": DELIVERY_LIMIT,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": names.dead(consumer),
            },
        )
        for topic in topics:
            await queue.bind(self.exchange, routing_key=topic)
        for attempt in range(1, names.attempts):
            await self.channel.declare_queue(
                names.retry(consumer, attempt),
                durable=True,
                arguments={
                    "x-message-ttl": names.retry_ms(attempt),
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": names.queue(consumer),
                },
            )
        return queue

    async def publish(
        self, topic: str, body: bytes, event_id: int, order_id: int | None = None
    ) -> None:
        """Publishes to the events exchange and waits for RabbitMQ's confirm."""
        await self.exchange.publish(
            aio_pika.Message(
                body,
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=str(event_id),
                type=topic,
                headers={ORDER_HEADER: order_id} if order_id is not None else {},
            ),
            routing_key=topic,
        )

    async def send_to_queue(
        self, queue: str, message: AbstractIncomingMessage, headers: dict[str, Any]
    ) -> None:
        """A copy of `message` with `headers` straight into `queue` (the default exchange),
        confirmed: for retries, the dead-letter queue and replays."""
        await self.channel.default_exchange.publish(
            aio_pika.Message(
                message.body,
                content_type=message.content_type,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=message.message_id,
                type=message.type,
                headers=headers,
            ),
            routing_key=queue,
        )

    async def retry_or_bury(
        self, consumer: str, message: AbstractIncomingMessage, error: str
    ) -> str:
        """After a failed attempt: the message into the retry queue for its next attempt, or
        into the dead-letter queue after the last. Returns the outcome, retried or dead."""
        attempt = attempt_of(message)
        headers = {**(message.headers or {}), ERROR_HEADER: error}
        if attempt >= self.topology.attempts:
            # In the dead-letter queue the header counts the attempts made.
            dead = {**headers, ATTEMPT_HEADER: attempt}
            await self.send_to_queue(self.topology.dead(consumer), message, dead)
            return "dead"
        retry = {**headers, ATTEMPT_HEADER: attempt + 1}
        await self.send_to_queue(self.topology.retry(consumer, attempt), message, retry)
        return "retried"

    async def depth(self, queue: str) -> int:
        """Messages ready in `queue` (a passive declare: RabbitMQ's count)."""
        declared = await self.channel.declare_queue(queue, passive=True)
        return declared.declaration_result.message_count

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()


def attempt_of(message: AbstractIncomingMessage) -> int:
    """Which attempt this delivery is: 1, or what a retry wrote in its header."""
    value = (message.headers or {}).get(ATTEMPT_HEADER, 1)
    return value if isinstance(value, int) and value >= 1 else 1
