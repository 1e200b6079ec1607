"""How the parts that use Redis (rate limits, write marks, the catalog cache) behave while it
is away: each asks it again only every RETRY_SECONDS, since an unreachable Redis can cost every
call its 0.5 s timeout, and logs the outage once, when it starts, and once when it ends."""

from __future__ import annotations

import logging
import time

log = logging.getLogger("jiokidz.redis")
RETRY_SECONDS = 5.0


class RedisOutage:
    def __init__(self, purpose: str, meanwhile: str) -> None:
        self.purpose = purpose  # "write rate limits"
        self.meanwhile = meanwhile  # what happens instead, for the log line
        self.down = False
        self.retry_at = 0.0

    @property
    def waiting(self) -> bool:
        """Redis failed less than RETRY_SECONDS ago: do not ask it yet."""
        return time.monotonic() < self.retry_at

    def failed(self, error: Exception) -> None:
        if not self.down:
            log.warning("Redis unavailable for %s (%s); %s", self.purpose, error, self.meanwhile)
        self.down = True
        self.retry_at = time.monotonic() + RETRY_SECONDS

    def succeeded(self) -> None:
        if self.down:
            log.info("Redis is back for %s", self.purpose)
            self.down = False
