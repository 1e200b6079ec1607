"""The worker (app/worker.py) as tests run it: a real process on a real RabbitMQ, under a
BROKER_PREFIX of its own, and the helpers to look at and clean up what it declared."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import aio_pika

from app.broker import Topology
from app.consumers import TOPICS
from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BROKER_URL = Settings.from_env().broker_url
CONSUMER_NAMES = list(TOPICS)


def new_prefix() -> str:
    return f"jiokidz_test_{uuid.uuid4().hex[:12]}"


def worker_env(database_url: str, prefix: str, **extra: str) -> dict[str, str]:
    """A worker on the test database (as jiokidz_worker) with quick retries and no sweeping
    (tests sweep when they mean to)."""
    return {
        "JIOKIDZ_ENV": "test",
        "WORKER_DATABASE_URL": database_url,
        "BROKER_PREFIX": prefix,
        "CONSUMER_RETRY_BASE_SECONDS": "0.05",
        "CONSUMER_ATTEMPTS": "3",
        "SWEEP_INTERVAL_SECONDS": "0",
        **extra,
    }


class Worker:
    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        starts = self.log_path.read_text().count("worker started") if self.log_path.exists() else 0
        self._log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.worker"],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_for_log("worker started", count=starts + 1)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def wait_for_log(self, needle: str, timeout: float = 30, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while self.log().count(needle) < count:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited:\n{self.log()}")
            assert time.monotonic() < deadline, f"no {needle!r} in the worker log:\n{self.log()}"
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement of what it was handling."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.running:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()


def topology(prefix: str) -> Topology:
    """The names a worker started with worker_env(..., prefix) declares."""
    return Topology.of(Settings.from_env(worker_env("", prefix)))


async def _queue_depths(prefix: str) -> dict[str, int]:
    names = topology(prefix)
    connection = await aio_pika.connect(BROKER_URL)
    try:
        depths = {}
        for consumer in CONSUMER_NAMES:
            for queue in (names.queue(consumer), names.dead(consumer)):
                channel = await connection.channel()
                try:
                    declared = await channel.declare_queue(queue, passive=True)
                    depths[queue] = declared.declaration_result.message_count
                except aio_pika.exceptions.ChannelClosed:
                    depths[queue] = 0
        return depths
    finally:
        await connection.close()


def queue_depths(prefix: str) -> dict[str, int]:
    """Ready messages in each consumer's queue and dead-letter queue under `prefix`."""
    return asyncio.run(_queue_depths(prefix))


async def _publish_raw(prefix: str, topic: str, body: bytes, message_id: str | None) -> None:
    connection = await aio_pika.connect(BROKER_URL)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(topology(prefix).exchange)
        await exchange.publish(
            aio_pika.Message(body, message_id=message_id, type=topic), routing_key=topic
        )
    finally:
        await connection.close()


def publish_raw(prefix: str, topic: str, body: bytes, message_id: str | None = "1") -> None:
    """A message straight onto the events exchange, bypassing the outbox (a poison message)."""
    asyncio.run(_publish_raw(prefix, topic, body, message_id))


async def delete_queues(names: Topology, broker_url: str = BROKER_URL) -> None:
    """Removes the exchange and every queue a worker declared under `names` (the tests' and
    the bench's workers, after their run)."""
    connection = await aio_pika.connect(broker_url)
    try:
        channel = await connection.channel()
        for consumer in CONSUMER_NAMES:
            for queue in names.queues(consumer):
                await channel.queue_delete(queue)
        await channel.exchange_delete(names.exchange)
    finally:
        await connection.close()


def delete_topology(prefix: str) -> None:
    """delete_queues for a worker started with worker_env(..., prefix)."""
    asyncio.run(delete_queues(topology(prefix)))
