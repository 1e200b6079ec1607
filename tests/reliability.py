"""The figures of the hardening suites (Schemathesis, races, faults): each scenario counts what
its clients saw and records one line, which tests/conftest.py prints at the end of pytest's
output (pytest_terminal_summary), so `make test` shows them run after run without -s."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import httpx

LINES: list[str] = []


@dataclass
class Tally:
    """What clients of one scenario got: every request counted once, by status class;
    `failed` counts requests that got no answer (connection refused or reset, timeout)."""

    sent: int = 0
    ok: int = 0
    client_errors: int = 0
    server_errors: int = 0
    failed: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, status: int | None) -> None:
        """One request and its status (None: no answer)."""
        with self._lock:
            self.sent += 1
            if status is None:
                self.failed += 1
                return
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if 200 <= status < 300:
                self.ok += 1
            elif 400 <= status < 500:
                self.client_errors += 1
            elif status >= 500:
                self.server_errors += 1

    def responses(self, responses: list[httpx.Response]) -> list[httpx.Response]:
        for response in responses:
            self.count(response.status_code)
        return responses


class Outage:
    """When the API stopped answering 2xx and when it answered again: `begin` and `end` are
    marked by the scenario around its fault; requests report their outcome with `saw`."""

    def __init__(self) -> None:
        self.first_failure: float | None = None
        self.last_failure: float | None = None
        self._lock = threading.Lock()

    def saw(self, ok: bool) -> None:
        if ok:
            return
        now = time.monotonic()
        with self._lock:
            self.first_failure = self.first_failure or now
            self.last_failure = now

    @property
    def seconds(self) -> float:
        """From the first request that failed to the last one (0 when none failed)."""
        if self.first_failure is None:
            return 0.0
        return self.last_failure - self.first_failure


def report(scenario: str, tally: Tally, *, unavailable: float = 0.0, violations: int = 0) -> None:
    """Records the scenario's line: requests sent, 2xx, 4xx, 5xx, no answer, seconds
    unavailable, invariant violations."""
    LINES.append(
        f"sent {tally.sent:>5} | 2xx {tally.ok:>5} | 4xx {tally.client_errors:>5} | "
        f"5xx {tally.server_errors:>3} | no answer {tally.failed:>3} | "
        f"unavailable {unavailable:>4.1f} s | invariant violations {violations} | {scenario}"
    )
