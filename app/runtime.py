"""What the generated routes call: authentication, one procedure call, the answer."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.auth import authenticate, authenticate_optional
from app.db import fetch_json
from app.errors import ApiProblem
from app.jsonbytes import dumps

__all__ = [
    "authenticate",
    "authenticate_optional",
    "call_procedure",
    "client_ip",
    "raw_body",
    "route",
]

# A procedure that must keep its writes although the request fails returns a single-key
# object {"error": {...}} (api.problem); jsonb prints it with this prefix.
RETURNED_PROBLEM = b'{"error": {'

Hook = Callable[[Request, dict[str, Any]], Awaitable[dict[str, Any]]]


async def call_procedure(
    request: Request, query: str, params: dict[str, Any], *, status: int, after: Hook | None = None
) -> Response:
    body = await fetch_json(request.app.state.pool, query, params)
    if body.startswith(RETURNED_PROBLEM):
        error = json.loads(body)["error"]
        raise ApiProblem(error["status"], error["code"], error.get("detail", ""))
    if after is not None:
        body = dumps(await after(request, json.loads(body)))
    return Response(body, status, media_type="application/json")


async def raw_body(request: Request) -> str:
    """The body exactly as received, for signatures computed over the raw bytes."""
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem(400, "bad_request", "The body is not UTF-8") from None


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def route(path: str, handlers: dict[str, Any]) -> Route:
    """One route per path, dispatching on the method, so a 405 lists every method the path
    answers in Allow (and only those: Starlette would add HEAD to GET, which the API does not
    document)."""

    async def dispatch(request: Request) -> Response:
        return await handlers[request.method](request)

    built = Route(path, dispatch, methods=list(handlers))
    built.methods = set(handlers)
    return built
