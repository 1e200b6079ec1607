"""The HTTP statuses a procedure can answer, read from the PL/pgSQL sources in the database.

A procedure answers a status by raising SQLSTATE 'JK' + status (`ERRCODE = 'JK409'`) or by
returning `api.problem(409, ...)` (README "Errors"), itself or in any `api` function it calls.
So a procedure can answer the statuses of its own body and of everything it calls, less what
it catches: a function whose top-level block ends in `EXCEPTION WHEN SQLSTATE 'JK404' ...`
(coupon_problem) answers none of those from its calls. A handler in an inner block is not
subtracted: the result may list a status a guarded path never reaches, never miss one.

codegen checks that api_spec.yaml lists, for every endpoint, each status its procedure can
answer (spec.check_against_database), so the OpenAPI document never misses one."""

from __future__ import annotations

import re

RAISED = re.compile(r"ERRCODE\s*=\s*'JK(\d{3})'")
RETURNED = re.compile(r"\bapi\.problem\(\s*(\d{3})\b")
CALLED = re.compile(r"\bapi\.([a-z_][a-z0-9_]*)\s*\(")
# An EXCEPTION clause of the function's top-level block: at the start of a line, not indented.
TOP_LEVEL_HANDLER = re.compile(r"^EXCEPTION\b(.*)", re.MULTILINE | re.DOTALL)
CAUGHT = re.compile(r"SQLSTATE\s+'JK(\d{3})'")


def raised_statuses(sources: dict[str, str]) -> dict[str, dict[int, str]]:
    """For each function (`api.name` -> its PL/pgSQL or SQL body), the statuses it can answer,
    each with the function whose body raises it."""
    own: dict[str, dict[int, str]] = {}
    calls: dict[str, set[str]] = {}
    caught: dict[str, set[int]] = {}
    for name, source in sources.items():
        short = name.removeprefix("api.")
        statuses = {int(s) for s in RAISED.findall(source) + RETURNED.findall(source)}
        if short == "problem":  # the helper itself: its status is its caller's argument
            statuses = set()
        own[name] = dict.fromkeys(sorted(statuses), name)
        calls[name] = {f"api.{callee}" for callee in CALLED.findall(source)} & set(sources)
        calls[name].discard(name)
        handler = TOP_LEVEL_HANDLER.search(source)
        caught[name] = {int(s) for s in CAUGHT.findall(handler.group(1))} if handler else set()

    result = {name: dict(statuses) for name, statuses in own.items()}
    changed = True
    while changed:  # to a fixed point: call graphs may have cycles
        changed = False
        for name in sorted(sources):  # sorted: the origin named is the same on every run
            for callee in sorted(calls[name]):
                for status, origin in result[callee].items():
                    if status not in caught[name] and status not in result[name]:
                        result[name][status] = origin
                        changed = True
    return result
