"""The connection pool, and running one procedure call as one transaction."""

from __future__ import annotations

import asyncio
import os

import psycopg
from psycopg.adapt import Loader
from psycopg_pool import AsyncConnectionPool

from app.settings import Settings

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


def make_pool(settings: Settings) -> AsyncConnectionPool:
    return AsyncConnectionPool(
        settings.database_url,
        min_size=settings.db_pool_size,
        max_size=settings.db_pool_size,
        # One statement per request, so autocommit makes each call exactly one transaction
        # without BEGIN/COMMIT round trips; procedures never commit themselves.
        kwargs={
            "autocommit": True,
            "connect_timeout": 5,
            "options": SESSION_LIMITS,
            # pg_stat_activity names the server process (worker) holding each backend.
            "application_name": f"jiokidz-api-{os.getpid()}",
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
        name="jiokidz",
    )


async def fetch_json(pool: AsyncConnectionPool, query: str, params: dict) -> bytes:
    """Run `SELECT api.procedure(...)` and return its jsonb as bytes; a serialization failure
    or deadlock is retried."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with pool.connection() as conn:
                cursor = await conn.execute(query, params)
                row = await cursor.fetchone()
            return row[0]
        except psycopg.Error as exc:
            if exc.sqlstate not in RETRYABLE_SQLSTATES or attempt == ATTEMPTS:
                raise
            await asyncio.sleep(0.005 * attempt)
    raise AssertionError("unreachable")
