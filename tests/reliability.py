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
    """How long the API gave clients no successful answer: the longest gap between two 2xx
    answers while a scenario's clients kept asking (they ask all the time, so in normal running
    the gaps are milliseconds). Requests that waited through the fault and then succeeded count
    as unavailable time too, as their clients experienced it."""

    def __init__(self) -> None:
        self.answered: list[float] = []
        self._lock = threading.Lock()

    def ok(self) -> None:
        with self._lock:
            self.answered.append(time.monotonic())

    def first_after(self, moment: float) -> float | None:
        with self._lock:
            return min((t for t in self.answered if t > moment), default=None)

    @property
    def seconds(self) -> float:
        with self._lock:
            times = sorted(self.answered)
        return max((b - a for a, b in zip(times, times[1:], strict=False)), default=0.0)


def report(scenario: str, tally: Tally, *, unavailable: float = 0.0, violations: int = 0) -> None:
    """Records the scenario's line: requests sent, 2xx, 4xx, 5xx, no answer, seconds
    unavailable, invariant violations."""
    LINES.append(
        f"sent {tally.sent:>5} | 2xx {tally.ok:>5} | 4xx {tally.client_errors:>5} | "
        f"5xx {tally.server_errors:>3} | no answer {tally.failed:>3} | "
        f"unavailable {unavailable:>4.1f} s | invariant violations {violations} | {scenario}"
    )
