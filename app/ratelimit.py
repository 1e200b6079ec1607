"""Rate limits: per client IP on send-otp, and per user on writes.

**send-otp per IP** (OTP_IP_LIMIT_PER_HOUR; the per-phone limits live in SQL). Counts live in
Redis when REDIS_URL is set, so every worker and server shares them; without Redis (or while it
is unreachable) each process counts on its own, which still bounds abuse. Fixed one-hour
windows: INCR a key named for the IP and the hour, expiring with the window.

**Writes per user** (WRITE_RATE_PER_MINUTE with a burst of WRITE_BURST; 0 turns it off): the
routes api_spec.yaml marks `rate_limit: writes` (cart, coupons, orders, payments, refunds)
depend on limit_writes, which answers 429 rate_limited with Retry-After before the procedure is
called. GCRA, one Redis key per user, `{REDIS_KEY_PREFIX}:writes:{user_id}`; reads are never
limited.

If Redis is unreachable, writes are limited in each process instead (the same GCRA, in memory),
and one warning is logged per outage; Redis is tried again every 5 s (app.outage). Why not
fail closed: the limit guards against abuse, not against wrong data (stock, coupons, payments
and idempotency are enforced in PostgreSQL), so refusing every write would turn a Redis outage
into a checkout outage. Why not fail wide open: one client looping on POST /cart/items would
then reach the database unbounded. Per process, a user gets at most the limit times the number
of workers until Redis is back.
"""

from __future__ import annotations

import logging
import math
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.requests import Request

from app.auth import CurrentUser
from app.errors import ApiProblem
from app.outage import RedisOutage
from app.settings import Settings

log = logging.getLogger("jiokidz.ratelimit")
WINDOW_SECONDS = 3600
# After a failed Redis call the write limiter counts in-process this long before trying again,
# so an unreachable Redis costs one connection attempt per worker every few seconds, not one per
# write.
MICROSECONDS = 1_000_000


class InProcessCounter:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.window = -1

    async def hit(self, key: str, window: int) -> int:
        if window != self.window:  # a new hour: forget the old counts
            self.counts.clear()
            self.window = window
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


class RedisCounter:
    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as redis

        self.redis = redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix
        self.fallback = InProcessCounter()

    async def hit(self, key: str, window: int) -> int:
        name = f"{self.prefix}:{key}:{window}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                count, _ = await pipe.incr(name).expire(name, WINDOW_SECONDS).execute()
            return count
        except Exception as exc:  # noqa: BLE001 - any Redis trouble: count locally instead
            log.warning("Redis unavailable for rate limits (%s); counting in-process", exc)
            return await self.fallback.hit(key, window)


class OtpIpLimiter:
    def __init__(self, settings: Settings) -> None:
        self.limit = settings.otp_ip_limit_per_hour
        self.counter = (
            RedisCounter(settings.redis_url, settings.redis_key_prefix)
            if settings.redis_url
            else InProcessCounter()
        )

    async def check(self, client_ip: str | None) -> None:
        if self.limit == 0 or client_ip is None:
            return
        window = int(time.time()) // WINDOW_SECONDS
        if await self.counter.hit(f"otp-ip:{client_ip}", window) > self.limit:
            retry_after = WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
            raise ApiProblem(
                429,
                "rate_limited",
                f"Too many codes asked for from this address; retry in {retry_after} seconds",
                headers={"Retry-After": str(retry_after)},
            )


async def limit_otp_per_ip(request: Request) -> None:
    """`before` hook of send-otp."""
    await request.app.state.otp_ip_limiter.check(request.client.host if request.client else None)


# GCRA written here rather than taken from the `limits` package: limits (5.x) offers fixed,
# moving and sliding windows but no GCRA or token bucket, and its async Redis storage runs on
# coredis unless told implementation="redispy". GCRA is one number per user and these dozen
# lines of Lua on the redis-py client the store already has, run atomically by Redis on its own
# clock, so every worker and server agrees on the time (Redis 5 or later, which replicates a
# script's effects, so a script may read TIME before it writes).
#
# KEYS[1]: the user's TAT (theoretical arrival time), in microseconds of Redis's clock.
# ARGV[1]: the emission interval (one write's share of a minute); ARGV[2]: the burst tolerance
# (WRITE_BURST intervals). A write moves the TAT one interval on from max(TAT, now); it passes
# while that is within the tolerance of now. Answers 0 (passed, TAT stored, the key expiring
# when the bucket is full again) or the microseconds until the next write may pass.
GCRA_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local interval, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
local tat = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now) + interval
local wait = tat - now - tolerance
if wait > 0 then
    return wait
end
redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000))
return 0
"""


class InProcessGcra:
    """The script's GCRA in one process's memory (time.monotonic), for when Redis is not there:
    user -> TAT in seconds. Users whose bucket is full again are forgotten as the map grows."""

    MAX_USERS = 10_000

    def __init__(self, interval: float, tolerance: float) -> None:
        self.interval, self.tolerance = interval, tolerance
        self.tats: dict[int, float] = {}

    def wait(self, user_id: int) -> float:
        now = time.monotonic()
        tat = max(self.tats.get(user_id, now), now) + self.interval
        wait = tat - now - self.tolerance
        if wait > 0:
            return wait
        if len(self.tats) >= self.MAX_USERS:
            self.tats = {user: t for user, t in self.tats.items() if t > now}
        self.tats[user_id] = tat
        return 0.0


class WriteLimiter:
    """WRITE_RATE_PER_MINUTE writes a minute per user, WRITE_BURST at once from rest: in Redis
    when REDIS_URL is set, else (and while Redis is unreachable) in this process."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.write_rate_per_minute > 0
        self.script = None
        if not self.enabled:
            return
        interval = max(1, MICROSECONDS * 60 // settings.write_rate_per_minute)
        self.args = [interval, interval * settings.write_burst]
        self.local = InProcessGcra(
            interval / MICROSECONDS, interval * settings.write_burst / MICROSECONDS
        )
        self.prefix = settings.redis_key_prefix
        self.outage = RedisOutage("write rate limits", "limiting per process until it is back")
        if settings.redis_url:
            self.redis = Redis.from_url(
                settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
            self.script = self.redis.register_script(GCRA_SCRIPT)

    def key(self, user_id: int) -> str:
        return f"{self.prefix}:writes:{user_id}"

    async def wait(self, user_id: int) -> float:
        """0 when the user may write now (and the write is counted), else the seconds until
        they may; nothing is counted for a refused write."""
        if self.script is not None and not self.outage.waiting:
            try:
                micros = await self.script(keys=[self.key(user_id)], args=self.args)
            except (RedisError, OSError) as exc:
                self.outage.failed(exc)
            else:
                self.outage.succeeded()
                return micros / MICROSECONDS
        return self.local.wait(user_id)

    async def aclose(self) -> None:
        if self.script is not None:
            await self.redis.aclose()


def retry_after(wait: float) -> int:
    """Retry-After for a wait in seconds: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(wait))


async def limit_writes(request: Request, caller: CurrentUser) -> None:
    """Dependency of the routes marked `rate_limit: writes`. The caller is the route's own
    (FastAPI solves the token dependency once per request), so this costs no second check."""
    limiter: WriteLimiter = request.app.state.write_limiter
    if not limiter.enabled:
        return
    wait = await limiter.wait(caller.user_id)
    if wait > 0:
        seconds = retry_after(wait)
        raise ApiProblem(
            429,
            "rate_limited",
            f"Too many changes in a short time; retry in {seconds} seconds",
            headers={"Retry-After": str(seconds)},
        )
