"""What the generated path operations (generated/routes.py) call: the procedure call itself,
and the few inputs that come from the request rather than its validated fields."""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response

from app.db import fetch_json
from app.errors import ApiProblem
from app.replica import ReadRouter

# A procedure that must keep its writes although the request fails returns a single-key
# object {"error": {...}} (internal.problem); jsonb prints it with this prefix.
RETURNED_PROBLEM = b'{"error": {'


class JsonBytes(Response):
    """An answer that is JSON already: PostgreSQL's, sent as it is, never parsed."""

    media_type = "application/json"


async def call_procedure(
    request: Request,
    query: str,
    params: dict[str, Any],
    *,
    replica: bool = False,
    reader: int | None = None,
    writer: int | None = None,
) -> bytes:
    """One `SELECT api.procedure(...)`, one transaction; its jsonb as bytes. A returned
    problem is raised as the ApiProblem it describes. A `replica` read may run on the read
    replica, unless its reader has a write there still to come; a call with a `writer` marks
    that user's write for read-your-writes (app.replica)."""
    router: ReadRouter = request.app.state.router
    if replica:
        body, _ = await router.read(query, params, await router.last_write_of(reader))
    elif writer is not None:
        body = await router.write(query, params, writer)
    else:
        body = await fetch_json(router.primary, query, params)
    return checked(body)


def checked(body: bytes) -> bytes:
    if body.startswith(RETURNED_PROBLEM):
        error = json.loads(body)["error"]
        raise ApiProblem(error["status"], error["code"], error.get("detail", ""))
    return body


async def raw_body(request: Request) -> str:
    """The body exactly as received, for signatures computed over the raw bytes."""
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem(400, "bad_request", "The body is not UTF-8") from None


async def method_not_allowed() -> None:
    """The routes that claim a literal path's other methods (generated/routes.py)."""
    raise HTTPException(405)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
