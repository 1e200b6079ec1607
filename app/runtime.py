"""What the generated routes call: authentication, one procedure call, the answer."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
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
    """One route per path, dispatching on the method. The route claims its path for every
    method and answers 405 itself, listing in Allow exactly the methods the path answers (not
    the HEAD Starlette adds to GET). Claiming the path matters where a literal path shares its
    place with a templated one: Starlette would pass GET /payments/initiate, a POST-only path,
    on to GET /payments/{order_id} (a 422 for the id "initiate"); codegen lists literal paths
    first, so it answers 405."""
    allow = {"Allow": ", ".join(handlers)}

    async def dispatch(request: Request) -> Response:
        handler = handlers.get(request.method)
        if handler is None:
            raise HTTPException(405, headers=allow)
        return await handler(request)

    built = Route(path, dispatch)
    built.methods = None  # every method matches here (a plain function would get GET only)
    return built
