"""The outbox relay: store.outbox_events → RabbitMQ (app/broker.py), at least once, in id order.

One relay publishes at a time, store-wide: each batch starts by confirming the session lock
(api.hold_relay_lock) on the relay's one connection; a second worker waits as a standby and
takes over when the first one's session ends. In a batch, the events of one order are
published one after another, each confirmed by RabbitMQ before the next; different orders'
at once. Then the batch is marked published. A crash or an outage between the two publishes
the batch again: consumers drop repeats by event id (app/consumers.py). Events are never
skipped, because the relay reads "unpublished", not "after the last id seen"."""

from __future__ import annotations

import asyncio
import json
import logging

from psycopg_pool import AsyncConnectionPool

from app.broker import Broker
from app.metrics import EVENTS_PUBLISHED
from app.telemetry import continue_trace
from generated import calls

log = logging.getLogger("jiokidz.relay")

BATCH = 200
IDLE_SECONDS = 0.1  # the wait between polls of an empty outbox: events go out within this
STANDBY_SECONDS = 2.0  # how often a standby relay tries to take over


class Relay:
    def __init__(self, pool: AsyncConnectionPool, broker: Broker):
        self.pool = pool  # one connection: the one holding the relay lock
        self.broker = broker
        self.is_active: bool | None = None  # unknown until the first batch
        self.failing = False  # so that an outage is logged once, and its end once

    async def run(self, stop: asyncio.Event) -> None:
        """Publishes until `stop` is set. Database and broker failures are logged once per
        outage and retried; nothing is marked published unless RabbitMQ confirmed it."""
        while not stop.is_set():
            try:
                published = await self.publish_batch()
                if self.failing:
                    log.info("relay publishing again")
                self.failing = False
            except Exception as exc:  # noqa: BLE001 - any failure: wait, then try again
                if not self.failing:
                    log.warning("relay stopped (%s: %s); retrying", type(exc).__name__, exc)
                self.failing = True
                self.is_active = None  # the lock is confirmed afresh first
                published = 0
            if published < BATCH:
                wait = IDLE_SECONDS if self.is_active else STANDBY_SECONDS
                await sleep_unless(stop, wait)

    async def publish_batch(self) -> int:
        """One batch: the lock confirmed, up to BATCH events published and marked. Returns how
        many were published (0 when standing by)."""
        held = json.loads(await calls.hold_relay_lock(self.pool))["held"]
        if held != self.is_active:
            log.info("relay %s", "active" if held else "standing by: another relay is active")
            self.is_active = held
        if not held:
            return 0
        events = json.loads(await calls.next_outbox_events(self.pool, p_limit=BATCH))
        # One chain per order, published one after another; the chains at once, so that
        # RabbitMQ's confirms overlap instead of costing a round trip each.
        chains: dict[object, list[dict]] = {}
        for event in events:
            chains.setdefault(event["order_id"] or ("event", event["id"]), []).append(event)
        async with asyncio.TaskGroup() as group:
            for chain in chains.values():
                group.create_task(self.publish_in_order(chain))
        if events:
            await calls.mark_outbox_published(self.pool, p_ids=[event["id"] for event in events])
        return len(events)

    async def publish_in_order(self, events: list[dict]) -> None:
        for event in events:
            await self.publish(event)

    async def publish(self, event: dict) -> None:
        """One event, within the trace of the request that wrote it (when it had one): the
        aio-pika instrumentation puts that context into the message headers."""
        body = json.dumps(event["payload"], separators=(",", ":")).encode()
        with continue_trace(event["traceparent"]):
            await self.broker.publish(event["topic"], body, event["id"], event["order_id"])
        EVENTS_PUBLISHED.labels(event["topic"]).inc()


async def sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    """Sleeps `seconds`, or less when `stop` is set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
