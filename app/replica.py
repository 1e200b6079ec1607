"""Where a procedure call runs: the primary, or the read replica (REPLICA_DATABASE_URL).

api_spec.yaml marks the reads that tolerate a little lag (`replica: true`); everything else,
and every write, runs on the primary. A marked read runs on the replica only when:
- ReplicaWatch's last poll found it had replayed what the primary had written at most
  REPLICA_MAX_LAG seconds earlier (else it is "lagging", or "down" when it did not answer);
- the reader, when the request names one, has no recent write that the replica has not
  replayed yet (read-your-writes, WriteMarks).
A marked read that fails on the replica for the replica's own reasons (connection lost, a
query cancelled by replay: psycopg.OperationalError) runs again on the primary, so a replica
going away costs time, never an error. docs/operations.md, "Read replica", has the whole story.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections import deque

import psycopg
from psycopg_pool import AsyncConnectionPool

from app.db import fetch_json, fetch_json_at, lsn_number, make_pool
from app.outage import RedisOutage
from app.settings import Settings

log = logging.getLogger("jiokidz.replica")
POLL_SECONDS = 0.2
# A write mark outlives the longest lag at which the replica is still used, plus a poll: by
# then the replica has replayed the write, or it is too far behind to be read at all.
MARK_MARGIN_SECONDS = 1.0
# The replica's replay position, and the age of the last commit it replayed.
REPLICA_POSITION = (
    "SELECT pg_last_wal_replay_lsn()::text,"
    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8"
)
# WriteMarks.last_write's answer when Redis cannot say: the reader may have written anything.
UNKNOWN = -1


class ReplicaWatch:
    """Polls both servers every POLL_SECONDS: the primary's WAL insert position first, then
    the replica's replay position. The lag is 0 when the replica has replayed the latest
    sample, so an idle primary does not make an idle replica look behind (as the age of its
    last replayed commit alone would); else the tighter of two bounds (judge). Its own two
    connections, not the pools': under load the pools are busy, and a poll that waited for
    one would take the replica out of use exactly when it helps most."""

    def __init__(self, primary_url: str, replica_url: str, max_lag: float):
        self.urls = {"primary": primary_url, "replica": replica_url}
        self.connections: dict[str, psycopg.AsyncConnection] = {}
        self.max_lag = max_lag
        self.samples: deque[tuple[float, int]] = deque()
        self.state = "starting"
        self.lag: float | None = None
        self.replayed = 0  # the replica's replay position at the last poll that reached it

    @property
    def usable(self) -> bool:
        return self.state == "streaming"

    def report(self) -> dict:
        lag = None if self.lag is None else round(self.lag, 3)
        return {"state": self.state, "lag_seconds": lag, "max_lag_seconds": self.max_lag}

    async def run(self) -> None:
        try:
            while True:
                await self.poll()
                await asyncio.sleep(POLL_SECONDS)
        finally:
            for conn in self.connections.values():
                await conn.close()

    async def ask(self, server: str, query: str) -> tuple:
        """One poll query on the server's own connection, made again after a failure."""
        conn = self.connections.get(server)
        if conn is None or conn.closed:
            conn = await psycopg.AsyncConnection.connect(
                self.urls[server],
                autocommit=True,
                connect_timeout=2,
                options="-c statement_timeout=1000",
                application_name=f"jiokidz-replica-watch-{os.getpid()}",
            )
            self.connections[server] = conn
        try:
            cursor = await conn.execute(query)
            return await cursor.fetchone()
        except psycopg.Error:
            await conn.close()
            raise

    async def poll(self) -> None:
        try:
            (written,) = await self.ask("primary", "SELECT pg_current_wal_insert_lsn()::text")
        except psycopg.Error:
            self.set_state("unknown", None)  # without the primary's position, no lag to judge
            return
        now = time.monotonic()
        self.samples.append((now, lsn_number(written)))
        while now - self.samples[0][0] > 2 * self.max_lag + POLL_SECONDS:
            self.samples.popleft()
        try:
            replayed, replay_age = await self.ask("replica", REPLICA_POSITION)
        except psycopg.Error as exc:
            self.set_state("down", None, exc)
            return
        if replayed is None:  # not a standby: reading it would not be reading a replica
            self.set_state("not_a_replica", None)
            return
        self.replayed = lsn_number(replayed)
        self.set_state(*self.judge(now, replay_age))

    def judge(self, now: float, replay_age: float | None) -> tuple[str, float]:
        """The state and lag from the samples and the replica's replay position. Behind the
        latest sample, two bounds hold and the smaller is taken: the age of the newest
        sample it has replayed (as coarse as the poll), and the age of the last commit it
        replayed (it has every commit before it; exact to the servers' clocks)."""
        if self.replayed >= self.samples[-1][1]:
            return "streaming", 0.0
        bounds = [max(replay_age, 0.0)] if replay_age is not None else []
        caught_up = [at for at, position in self.samples if position <= self.replayed]
        if caught_up:
            bounds.append(now - caught_up[-1])
        if not bounds:  # behind every sample kept, and nothing replayed yet: at least that old
            return "lagging", now - self.samples[0][0]
        lag = min(bounds)
        return ("streaming" if lag <= self.max_lag else "lagging"), lag

    def set_state(self, state: str, lag: float | None, error: Exception | None = None) -> None:
        if state != self.state:
            log.warning("replica %s -> %s%s", self.state, state, f" ({error})" if error else "")
        self.state, self.lag = state, lag


class WriteMarks:
    """Read-your-writes: after a user's write, the WAL position of its commit (0 without a
    replica), kept in Redis under {prefix}:wrote:{user id} for REPLICA_MAX_LAG + a margin, the
    highest of concurrent writes winning. Without Redis nobody can tell, so last_write answers
    UNKNOWN and the reader goes to the primary."""

    # Keep the larger of the stored and the given position: two writes of one user may finish
    # in either order.
    KEEP_HIGHEST = """
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
"""

    def __init__(self, redis, prefix: str, max_lag: float):
        self.redis = redis
        self.prefix = prefix
        self.ttl = max_lag + MARK_MARGIN_SECONDS
        self.keep_highest = redis.register_script(self.KEEP_HIGHEST) if redis else None
        self.outage = RedisOutage("write marks", "readers with a token read the primary")
        # Marks may be missing until then (writes made while Redis was away), so no reader
        # with a token is trusted to the replica or the cache.
        self.blind_until = 0.0

    @property
    def blind(self) -> bool:
        return self.redis is None or time.monotonic() < self.blind_until

    def key(self, user_id: int) -> str:
        return f"{self.prefix}:wrote:{user_id}"

    def failed(self, error: Exception) -> None:
        self.outage.failed(error)
        self.blind_until = self.outage.retry_at + self.ttl

    async def last_write(self, user_id: int) -> int | None:
        """The position of the user's last recent write, None when there is none; UNKNOWN when
        Redis cannot say."""
        if self.blind:
            return UNKNOWN
        try:
            stored = await self.redis.get(self.key(user_id))
        except Exception as exc:  # noqa: BLE001 - any Redis trouble: the reader goes to the primary
            self.failed(exc)
            return UNKNOWN
        self.outage.succeeded()
        return None if stored is None else int(stored)

    async def mark(self, user_id: int, position: int) -> None:
        if self.keep_highest is None or self.outage.waiting:
            return
        try:
            await self.keep_highest(keys=[self.key(user_id)], args=[position, int(self.ttl * 1000)])
        except Exception as exc:  # noqa: BLE001 - any Redis trouble: readers go to the primary
            self.failed(exc)
        else:
            self.outage.succeeded()


class ReadRouter:
    """The pools, and which one a call runs on. Without REPLICA_DATABASE_URL every call runs on
    the primary and nothing is polled."""

    def __init__(self, settings: Settings, primary: AsyncConnectionPool, redis, marks: bool):
        self.primary = primary
        self.replica = (
            make_pool(settings, settings.replica_database_url, name="jiokidz-replica")
            if settings.replica_database_url
            else None
        )
        self.watch = (
            ReplicaWatch(
                settings.database_url, settings.replica_database_url, settings.replica_max_lag
            )
            if self.replica
            else None
        )
        # Marks are kept when something reads around the primary: the replica, or the cache.
        self.marks = WriteMarks(
            redis if marks else None, settings.redis_key_prefix, settings.replica_max_lag
        )
        self.poller: asyncio.Task | None = None

    async def open(self) -> None:
        if self.replica is not None:
            await self.replica.open(wait=False)
            self.poller = asyncio.create_task(self.watch.run(), name="replica-watch")

    async def close(self) -> None:
        if self.poller is not None:
            self.poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.poller  # its connections close as it ends
        if self.replica is not None:
            await self.replica.close()

    def report(self) -> dict:
        return self.watch.report() if self.watch else {"state": "off"}

    def replica_for(self, last_write: int | None, needed: int = 0) -> AsyncConnectionPool | None:
        """The replica, when it is fresh, has replayed the reader's last write (None: none
        recent) and the position `needed` (a cache version); else None: use the primary."""
        if self.watch is None or not self.watch.usable:
            return None
        if last_write == UNKNOWN or max(last_write or 0, needed) > self.watch.replayed:
            return None
        return self.replica

    @property
    def tracks_positions(self) -> bool:
        return self.replica is not None

    async def last_write_of(self, reader: int | None) -> int | None:
        """The reader's write mark, asked of Redis only when the replica could serve them."""
        if reader is None or self.replica_for(None) is None:
            return None
        return await self.marks.last_write(reader)

    async def read(
        self, query: str, params: dict, last_write: int | None, needed: int = 0
    ) -> tuple[bytes, bool]:
        """A marked read: on the replica when replica_for allows, else (or when the replica
        fails it) on the primary. Also whether the primary answered."""
        replica = self.replica_for(last_write, needed)
        if replica is not None:
            try:
                return await fetch_json(replica, query, params), False
            except psycopg.OperationalError as exc:
                log.warning("replica read failed, read from the primary instead (%s)", exc)
        return await fetch_json(self.primary, query, params), True

    async def write(self, query: str, params: dict, user_id: int | None) -> bytes:
        """A call on the primary that may write; the user's write mark set after it."""
        if user_id is None or self.marks.redis is None:
            return await fetch_json(self.primary, query, params)
        body, position = await fetch_json_at(
            self.primary, query, params, wal_position=self.tracks_positions
        )
        await self.marks.mark(user_id, position or 0)
        return body
