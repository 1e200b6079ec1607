"""The problems a procedure can answer, read from the PL/pgSQL sources in the database.

A procedure answers a problem by raising SQLSTATE 'JK' + status with the code as its message
(`ERRCODE = 'JK409', MESSAGE = 'insufficient_stock'`) or by returning
`internal.problem(409, 'code', ...)`, itself or in any `api` or `internal` function it
calls. So a procedure can
answer the problems of its own body and of everything it calls, less what it catches: a
function whose top-level block ends in `EXCEPTION WHEN SQLSTATE 'JK404' ...` (coupon_problem)
answers none of those statuses from its calls. A handler in an inner block is not subtracted:
the result may list a status a guarded path never reaches, never miss one.

codegen checks that api_spec.yaml lists, for every endpoint, each status its procedure can
answer (spec.check_against_database), and documents each code as an example of its status."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RAISED = re.compile(r"ERRCODE\s*=\s*'JK(\d{3})'(?:\s*,\s*MESSAGE\s*=\s*'([a-z_]+)')?")
RETURNED = re.compile(r"\binternal\.problem\(\s*(\d{3})\b(?:\s*,\s*'([a-z_]+)')?")
CALLED = re.compile(r"\b((?:api|internal)\.[a-z_][a-z0-9_]*)\s*\(")
# An EXCEPTION clause of the function's top-level block: at the start of a line, not indented.
TOP_LEVEL_HANDLER = re.compile(r"^EXCEPTION\b(.*)", re.MULTILINE | re.DOTALL)
CAUGHT = re.compile(r"SQLSTATE\s+'JK(\d{3})'")


@dataclass
class Raised:
    """One status a function can answer: the first function (by name) whose body raises it,
    and every problem code it comes with."""

    origin: str
    codes: set[str] = field(default_factory=set)


def raised_problems(sources: dict[str, str]) -> dict[str, dict[int, Raised]]:
    """For each function (`api.name` or `internal.name` -> its PL/pgSQL or
    SQL body), the statuses it can answer."""
    own: dict[str, dict[int, set[str]]] = {}
    calls: dict[str, set[str]] = {}
    caught: dict[str, set[int]] = {}
    for name, source in sources.items():
        statuses: dict[int, set[str]] = {}
        if name != "internal.problem":  # the helper itself: its status is its caller's argument
            for status, code in RAISED.findall(source) + RETURNED.findall(source):
                statuses.setdefault(int(status), set()).update([code] if code else [])
        own[name] = statuses
        calls[name] = set(CALLED.findall(source)) & set(sources)
        calls[name].discard(name)
        handler = TOP_LEVEL_HANDLER.search(source)
        caught[name] = {int(s) for s in CAUGHT.findall(handler.group(1))} if handler else set()

    result = {
        name: {status: Raised(name, set(codes)) for status, codes in sorted(statuses.items())}
        for name, statuses in own.items()
    }
    changed = True
    while changed:  # to a fixed point: call graphs may have cycles
        changed = False
        for name in sorted(sources):  # sorted: the origin named is the same on every run
            for callee in sorted(calls[name]):
                for status, raised in result[callee].items():
                    if status in caught[name]:
                        continue
                    mine = result[name].get(status)
                    if mine is None:
                        result[name][status] = Raised(raised.origin, set(raised.codes))
                        changed = True
                    elif not raised.codes <= mine.codes:
                        mine.codes |= raised.codes
                        changed = True
    return result


def raised_statuses(sources: dict[str, str]) -> dict[str, dict[int, str]]:
    """For each function, the statuses it can answer, each with the function that raises it."""
    return {
        name: {status: raised.origin for status, raised in sorted(statuses.items())}
        for name, statuses in raised_problems(sources).items()
    }
