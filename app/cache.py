"""The public catalog's answers, cached in Redis and kept honest by the database; and their
HTTP caching headers (strong ETag, Cache-Control, 304 to a current If-None-Match).

The routes api_spec.yaml marks `cache` call cached_call. An entry is the answer of one exact
procedure call (its SQL and arguments), stored with the versions it was read at:
- {prefix}:ver:everything changes with what every answer may show (a category, a TRUNCATE);
- {prefix}:ver:catalog with anything a list or the category tree shows;
- {prefix}:ver:product:<id> with anything GET /products/<id> shows (its stock, its pictures).
A list or the tree is read at everything and catalog, a product's page at everything and its
product, so a price change leaves the other products' pages cached. An entry counts only while
its versions are current. The versions move when PostgreSQL says so: triggers NOTIFY
catalog_changes at commit with `everything`, `catalog` or `product:<id>`
(db/tables/370_catalog_changes.sql, 420), and each web worker's CatalogListener sets the named
versions to the primary's WAL position read just after: positions only grow, and a replica
that has replayed that far shows the change. So no entry outlives a change by more than the
notification's trip, and one lookup is one Redis round trip (MGET of versions and entry).

The cache is skipped, never trusted, when it cannot be sure: Redis unreachable, this worker's
listener not connected (changes could go unseen; on each (re)connection it moves the
everything version, dropping every entry), or a reader with a token who wrote moments ago
(their own change may not have reached the versions yet). Skipped means read from
PostgreSQL: slower, never wrong. CATALOG_CACHE_SECONDS bounds an entry's life as a backstop; a
reservation that expires unswept changes no row, so until the sweeper releases it a cached
answer may show fewer units available than there are, never more.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
from dataclasses import dataclass

import psycopg
from fastapi import Request
from fastapi.responses import Response

from app.auth import Caller, user_of_token
from app.db import lsn_number
from app.outage import RedisOutage
from app.procedures import JsonBytes, checked
from app.replica import UNKNOWN, ReadRouter
from app.settings import Settings

log = logging.getLogger("jiokidz.cache")
CHANNEL = "catalog_changes"
# Notifications arriving within this long of the first are handled as one batch: one WAL
# position read and one Redis round trip for a bulk change of thousands of products.
BATCH_SECONDS = 0.01
RECONNECT_SECONDS = 1.0
SCOPES = {"everything", "catalog"}  # the payloads besides product:<id>
LISTENER_NAME = "jiokidz-catalog-listener"  # its pg_stat_activity.application_name


def strong_etag(body: bytes) -> str:
    """A strong validator: 144 bits of the body's SHA-256, base64url, quoted."""
    return '"' + base64.urlsafe_b64encode(hashlib.sha256(body).digest()[:18]).decode() + '"'


def is_current(request: Request, etag: str) -> bool:
    """If-None-Match names this ETag (or is *). Weak comparison, as RFC 9110 asks for it."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


@dataclass(frozen=True)
class Entry:
    versions: tuple[bytes, ...]
    etag: str
    body: bytes

    SEPARATOR = b"\n"

    def dump(self) -> bytes:
        return self.SEPARATOR.join((*self.versions, self.etag.encode(), self.body))

    @classmethod
    def load(cls, stored: bytes, count: int) -> Entry:
        *versions, etag, body = stored.split(cls.SEPARATOR, count + 1)
        return cls(tuple(versions), etag.decode(), body)


class CatalogCache:
    def __init__(self, settings: Settings, redis) -> None:
        self.redis = redis
        self.prefix = settings.redis_key_prefix
        self.ttl = settings.catalog_cache_seconds
        self.listener = CatalogListener(settings.database_url, redis, self.prefix)
        self.outage = RedisOutage("the catalog cache", "reading the catalog from PostgreSQL")

    @property
    def usable(self) -> bool:
        return self.listener.connected and not self.outage.waiting

    def version_keys(self, product_id: int | None) -> list[str]:
        scope = "catalog" if product_id is None else f"product:{product_id}"
        return [f"{self.prefix}:ver:everything", f"{self.prefix}:ver:{scope}"]

    def entry_key(self, query: str, params: dict) -> str:
        call = repr((query, sorted(params.items()))).encode()
        return f"{self.prefix}:answer:{hashlib.sha256(call).hexdigest()}"

    async def lookup(
        self, key: str, product_id: int | None, mark_key: str | None
    ) -> tuple[tuple[bytes, ...], Entry | None, int | None]:
        """The current versions, the entry when it is current, and the reader's write mark
        (at mark_key, app.replica.WriteMarks): one MGET."""
        version_keys = self.version_keys(product_id)
        count = len(version_keys)
        values = await self.redis.mget([*version_keys, key, *([mark_key] if mark_key else [])])
        versions = tuple(value or b"0" for value in values[:count])
        mark = None
        if mark_key is not None and values[-1] is not None:
            mark = int(values[-1])
        stored = values[count]
        entry = Entry.load(stored, count) if stored else None
        return versions, (entry if entry and entry.versions == versions else None), mark

    async def store(self, key: str, entry: Entry) -> None:
        await self.redis.set(key, entry.dump(), ex=self.ttl)


class CatalogListener:
    """LISTEN catalog_changes on the primary; each batch of notifications sets the versions it
    names to the primary's WAL position read after them. `connected` only while listening."""

    def __init__(self, database_url: str, redis, prefix: str) -> None:
        self.database_url = database_url
        self.redis = redis
        self.prefix = prefix
        self.connected = False
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.run(), name="catalog-listener")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task  # its connection closes as it ends

    async def run(self) -> None:
        failing = False
        while True:
            try:
                await self.listen()
            except Exception as exc:  # noqa: BLE001 - anything: stop trusting the cache, retry
                if self.connected or not failing:  # once per outage
                    log.warning("catalog listener failed (%s); cache skipped until back", exc)
                self.connected, failing = False, True
            await asyncio.sleep(RECONNECT_SECONDS)

    async def listen(self) -> None:
        async with await psycopg.AsyncConnection.connect(
            self.database_url,
            autocommit=True,
            connect_timeout=5,
            keepalives_idle=10,
            application_name=LISTENER_NAME,
        ) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            # Changes made while nobody listened went unseen: every entry goes.
            await self.move(conn, {"everything"})
            self.connected = True
            log.info("catalog listener connected")
            while True:
                changed = {n.payload async for n in conn.notifies(stop_after=1)}
                changed |= {n.payload async for n in conn.notifies(timeout=BATCH_SECONDS)}
                await self.move(conn, changed)

    async def move(self, conn: psycopg.AsyncConnection, changed: set[str]) -> None:
        names = [c for c in changed if c in SCOPES or c.startswith("product:")]
        if not names:
            return
        cursor = await conn.execute("SELECT pg_current_wal_insert_lsn()::text")
        position = str(lsn_number((await cursor.fetchone())[0]))
        await self.redis.mset({f"{self.prefix}:ver:{name}": position for name in names})


async def cached_call(
    request: Request,
    query: str,
    params: dict,
    *,
    caller: Caller | None,
    product_arg: str | None,
) -> Response:
    """A public catalog read: from the cache when it is sure, else from the replica or the
    primary (app.replica), stored for the next reader; with its ETag and Cache-Control, or a
    304 when If-None-Match names the ETag. `caller` is the route's when its answer may depend
    on the token (auth: optional); such an answer is personal, never cached nor public."""
    state = request.app.state
    router: ReadRouter = state.router
    cache: CatalogCache | None = state.cache
    personal = caller is not None and caller.user_id is not None
    reader = caller.user_id if personal else user_of_token(request)
    product_id = params[product_arg] if product_arg else None
    versions: tuple[bytes, ...] | None = None
    if cache is not None and cache.usable and not personal:
        key = cache.entry_key(query, params)
        try:
            mark_key = router.marks.key(reader) if reader is not None else None
            versions, entry, mark = await cache.lookup(key, product_id, mark_key)
        except Exception as exc:  # noqa: BLE001 - any Redis trouble: read from PostgreSQL
            cache.outage.failed(exc)
            versions, mark = None, UNKNOWN if reader is not None else None
        else:
            cache.outage.succeeded()
            if reader is not None and router.marks.blind:
                mark = UNKNOWN  # their write, made while Redis was away, left no mark
            if entry is not None and mark is None:
                return answer(request, entry.body, entry.etag, state.settings, personal)
    else:
        mark = await router.last_write_of(reader)
    needed = max(int(v) for v in versions) if versions else 0
    body, _ = await router.read(query, params, mark, needed)
    body = checked(body)
    etag = strong_etag(body)
    if versions is not None and mark is None:
        try:
            await cache.store(key, Entry(versions, etag, body))
        except Exception as exc:  # noqa: BLE001 - any Redis trouble: the answer stands uncached
            cache.outage.failed(exc)
    return answer(request, body, etag, state.settings, personal)


def answer(request: Request, body: bytes, etag: str, settings: Settings, personal: bool):
    cache_control = (
        "private, no-store" if personal else f"public, max-age={settings.catalog_max_age}"
    )
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if is_current(request, etag):
        return Response(status_code=304, headers=headers)
    return JsonBytes(body, headers=headers)
