"""Per-client-IP limit on send-otp (OTP_IP_LIMIT_PER_HOUR; the per-phone limits live in SQL).

Counts live in Redis when REDIS_URL is set, so every worker and server shares them; without
Redis (or while it is unreachable) each process counts on its own, which still bounds abuse.
Fixed one-hour windows: INCR a key named for the IP and the hour, expiring with the window."""

from __future__ import annotations

import logging
import time

from starlette.requests import Request

from app.errors import ApiProblem
from app.settings import Settings

log = logging.getLogger("jiokidz.ratelimit")
WINDOW_SECONDS = 3600


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
