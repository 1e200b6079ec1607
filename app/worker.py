"""The worker: `python -m app.worker` (`make worker`; `make run` starts one beside the web
tier). In one process, as jiokidz_worker (WORKER_DATABASE_URL):

- the outbox relay (app/relay.py), active in one worker at a time;
- the consumers (app/consumers.py): refunds to the gateway, login codes and notifications by SMS;
- the sweeper, api.sweep() every SWEEP_INTERVAL_SECONDS (0: left to cron);
- the gauges of the outbox backlog and the queue depths (app/metrics.py).

It waits for PostgreSQL and RabbitMQ when they are away, and stops on SIGTERM or SIGINT.

The dead-letter queues, for operators (docs/operations.md "Events"):
    python -m app.worker dead                      what each holds, message by message
    python -m app.worker replay CONSUMER [EVENT]   back to the consumer (all, or one event id)
    python -m app.worker drop CONSUMER [EVENT]     deleted, once looked at"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys

from aio_pika.abc import AbstractIncomingMessage
from psycopg_pool import AsyncConnectionPool

from app.broker import ATTEMPT_HEADER, ERROR_HEADER, Broker
from app.consumers import TOPICS, Consumers
from app.db import make_pool
from app.gateway import make_gateway
from app.logs import configure_logging
from app.metrics import OUTBOX_LAG, OUTBOX_UNPUBLISHED, QUEUE_DEPTH
from app.relay import Relay, sleep_unless
from app.settings import Settings
from app.sms import make_sms_backend
from app.telemetry import setup_tracing
from generated import calls

log = logging.getLogger("jiokidz.worker")

CONNECT_RETRY_SECONDS = 2.0
GAUGE_SECONDS = 5.0  # how often the backlog and queue gauges are read
CONSUMERS = tuple(TOPICS)


async def connect(broker: Broker, stop: asyncio.Event) -> bool:
    """Connects, waiting for RabbitMQ as long as it takes; False when stopped first."""
    waiting = False
    while not stop.is_set():
        try:
            await broker.connect("jiokidz-worker")
            if waiting:
                log.info("RabbitMQ is reachable")
            return True
        except Exception as exc:  # noqa: BLE001 - refused, unreachable, not yet booted...
            if not waiting:
                log.warning("RabbitMQ unreachable (%s); waiting for it", exc)
            waiting = True
            await sleep_unless(stop, CONNECT_RETRY_SECONDS)
    return False


async def serve(settings: Settings, stop: asyncio.Event) -> None:
    setup_tracing(settings, "jiokidz-worker")
    url = settings.worker_database_url
    pool = make_pool(settings, url, name="jiokidz-worker", application="jiokidz-worker")
    relay_pool = make_pool(settings, url, name="jiokidz-relay", size=1, application="jiokidz-relay")
    broker = Broker(settings)
    gateway, sms = make_gateway(settings), make_sms_backend(settings)
    await pool.open(wait=False)
    await relay_pool.open(wait=False)
    # The sweeper needs no broker: it runs while RabbitMQ is awaited too.
    sweeper = asyncio.create_task(sweep_every(settings.sweep_interval_seconds, pool, stop))
    try:
        if await connect(broker, stop):
            consumers = Consumers(pool, broker, gateway, sms)
            await consumers.start()
            relay = Relay(relay_pool, broker)
            names = ", ".join(c.name for c in consumers.all)
            log.info("worker started: relay, consumers %s", names)
            await asyncio.gather(relay.run(stop), watch_gauges(pool, broker, stop))
        await sweeper
    finally:
        sweeper.cancel()
        await broker.close()
        await relay_pool.close()
        await pool.close()
        await gateway.aclose()
        await sms.aclose()
        log.info("worker stopped")


async def watch_gauges(pool: AsyncConnectionPool, broker: Broker, stop: asyncio.Event) -> None:
    """The outbox backlog and each queue's depth, for /metrics."""
    names = broker.topology
    while not stop.is_set():
        try:
            backlog = json.loads(await calls.outbox_backlog(pool))
            OUTBOX_UNPUBLISHED.set(backlog["unpublished"])
            OUTBOX_LAG.set(backlog["lag_seconds"])
            for consumer in CONSUMERS:
                for queue in (names.queue(consumer), names.dead(consumer)):
                    QUEUE_DEPTH.labels(queue).set(await broker.depth(queue))
        except Exception:  # noqa: BLE001, S110 - the relay logs outages; gauges keep their value
            pass
        await sleep_unless(stop, GAUGE_SECONDS)


async def sweep_every(seconds: int, pool: AsyncConnectionPool, stop: asyncio.Event) -> None:
    """api.sweep() every `seconds` (docs/dba.md "The sweeper"); several workers may run it."""
    while seconds and not stop.is_set():
        try:
            swept = json.loads(await calls.sweep(pool))
            if any(swept.values()):
                log.info("swept: %s", swept)
        except Exception as exc:  # noqa: BLE001 - logged, tried again next time
            log.warning("sweep failed: %s", exc)
        await sleep_unless(stop, seconds)


async def dead_letters(
    settings: Settings, action: str, consumer: str | None, event_id: str | None
) -> int:
    """list: every dead-letter queue, message by message. replay: one consumer's dead letters
    (or one event of them) back to its queue, attempts counted afresh. drop: delete them.
    Each message is taken unacknowledged; those left alone return to the queue, in their
    order, when the channel closes."""
    broker = Broker(settings)
    await broker.connect("jiokidz-dead-letters")
    names = broker.topology
    try:
        for name in [consumer] if consumer else CONSUMERS:
            queue = await broker.channel.declare_queue(names.dead(name), passive=True)
            count = queue.declaration_result.message_count
            if action == "list":
                print(f"{names.dead(name)}: {count} messages")
            done = 0
            for _ in range(count):
                message = await queue.get(no_ack=False, fail=False)
                if message is None:
                    break
                if action == "list":
                    print("  " + describe(message))
                    continue
                if event_id not in (None, message.message_id):
                    continue
                if action == "replay":
                    headers = {
                        key: value
                        for key, value in (message.headers or {}).items()
                        if key not in (ATTEMPT_HEADER, ERROR_HEADER)
                    }
                    await broker.send_to_queue(names.queue(name), message, headers)
                await message.ack()
                done += 1
            if action == "replay":
                print(f"{done} messages sent back to {names.queue(name)}")
            elif action == "drop":
                print(f"{done} messages dropped from {names.dead(name)}")
    finally:
        await broker.close()
    return 0


def describe(message: AbstractIncomingMessage) -> str:
    headers = message.headers or {}
    error = headers.get(ERROR_HEADER) or "delivery limit reached (its consumer kept stopping)"
    body = message.body.decode(errors="replace")
    return (
        f"event {message.message_id} {message.type} after {headers.get(ATTEMPT_HEADER, '?')} "
        f"attempts: {error} | {body[:200]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.worker", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("dead", help="list the dead-letter queues")
    for action, help_text in (
        ("replay", "send dead letters back to their consumer"),
        ("drop", "delete dead letters"),
    ):
        command = commands.add_parser(action, help=help_text)
        command.add_argument("consumer", choices=CONSUMERS)
        command.add_argument("event_id", nargs="?", help="only this event id")
    args = parser.parse_args(argv)
    configure_logging()
    settings = Settings.from_env()
    if args.command == "dead":
        return asyncio.run(dead_letters(settings, "list", None, None))
    if args.command in ("replay", "drop"):
        return asyncio.run(dead_letters(settings, args.command, args.consumer, args.event_id))
    return asyncio.run(run_until_signalled(settings))


async def run_until_signalled(settings: Settings) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await serve(settings, stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
