"""The connection pool, and running one procedure call as one transaction."""

from __future__ import annotations

import asyncio
import os

import psycopg
from psycopg.adapt import Loader
from psycopg_pool import AsyncConnectionPool

from app.settings import Settings
from app.telemetry import current_traceparent


def lsn_number(text: str) -> int:
    """A WAL position as PostgreSQL prints it (16/B374D848) as one comparable number."""
    high, _, low = text.partition("/")
    return int(high, 16) << 32 | int(low, 16)


# Serialization failures and deadlocks roll the whole statement back, so it is safe to rerun.
RETRYABLE_SQLSTATES = {"40001", "40P01"}
ATTEMPTS = 3
# No API request may hold the database: a statement running, or waiting for a row lock,
# longer than this is cancelled (answered 503).
SESSION_LIMITS = "-c statement_timeout=5000 -c lock_timeout=2000"


class RawJsonLoader(Loader):
    """Hand jsonb over as the bytes PostgreSQL sent: the API answers them unparsed."""

    def load(self, data) -> bytes:
        return bytes(data)


async def configure_connection(conn: psycopg.AsyncConnection) -> None:
    conn.adapters.register_loader("jsonb", RawJsonLoader)


def make_pool(
    settings: Settings,
    url: str | None = None,
    name: str = "jiokidz",
    size: int | None = None,
    application: str = "jiokidz-api",
) -> AsyncConnectionPool:
    """The web tier's pool to DATABASE_URL (or to `url`: the read replica, the worker's login),
    of DB_POOL_SIZE connections unless `size` says."""
    return AsyncConnectionPool(
        url or settings.database_url,
        min_size=size or settings.db_pool_size,
        max_size=size or settings.db_pool_size,
        # One statement per request, so autocommit makes each call exactly one transaction
        # without BEGIN/COMMIT round trips; procedures never commit themselves.
        kwargs={
            "autocommit": True,
            "connect_timeout": 5,
            "options": SESSION_LIMITS,
            # pg_stat_activity names the server process (worker) holding each backend.
            "application_name": f"{application}-{os.getpid()}",
        },
        configure=configure_connection,
        # A request that waits this long for a connection answers 503 (database down or
        # saturated) rather than hanging.
        timeout=2,
        # While the database is away, each reconnection attempt backs off 1, 2, 4, 8... s; the
        # pool's default keeps that up for 5 minutes, so after an outage of a minute the next
        # attempt could come a minute after the database is back. Abandoned after 3 s, an
        # attempt is started afresh (at once) by the next request that finds no connection.
        reconnect_timeout=3,
        open=False,
        name=name,
    )


# Events a call writes carry the request's trace: internal.emit_event reads this setting, set
# for the call's transaction only.
SET_TRACEPARENT = "SELECT set_config('jiokidz.traceparent', %s, true)"


async def call_on(conn: psycopg.AsyncConnection, query: str, params: dict) -> tuple:
    """The call's one row; with a trace to pass on, in a transaction that sets it first (one
    round trip all the same: pipelined)."""
    traceparent = current_traceparent()
    if traceparent is None:
        cursor = await conn.execute(query, params)
        return await cursor.fetchone()
    async with conn.pipeline(), conn.transaction():
        await conn.execute(SET_TRACEPARENT, (traceparent,))
        cursor = await conn.execute(query, params)
    return await cursor.fetchone()


# A position no replica reaches: what a write counts as when its own could not be read.
UNREACHED_POSITION = 2**63 - 1


async def wal_insert_position(conn: psycopg.AsyncConnection) -> int:
    """The primary's WAL insert position. The call before it has committed, so nothing that
    fails here may raise: that would answer an error for a write that happened."""
    try:
        cursor = await conn.execute("SELECT pg_current_wal_insert_lsn()::text")
        return lsn_number((await cursor.fetchone())[0])
    except psycopg.Error:
        return UNREACHED_POSITION


async def fetch_json(pool: AsyncConnectionPool, query: str, params: dict) -> bytes:
    """Run `SELECT api.procedure(...)` and return its jsonb as bytes; a serialization failure
    or deadlock is retried."""
    body, _ = await fetch_json_at(pool, query, params)
    return body


async def fetch_json_at(
    pool: AsyncConnectionPool, query: str, params: dict, wal_position: bool = False
) -> tuple[bytes, int | None]:
    """fetch_json, and with wal_position the primary's WAL insert position once the call has
    committed (on the same connection, so at or past the commit): what a replica must have
    replayed to show the call's writes (app.replica)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with pool.connection() as conn:
                row = await call_on(conn, query, params)
                position = await wal_insert_position(conn) if wal_position else None
            return row[0], position
        except psycopg.Error as exc:
            if exc.sqlstate not in RETRYABLE_SQLSTATES or attempt == ATTEMPTS:
                raise
            await asyncio.sleep(0.005 * attempt)
    raise AssertionError("unreachable")
