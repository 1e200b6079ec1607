"""What the generated routes call: authentication, one procedure call, the answer."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette._utils import get_route_path
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route, Router

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
    "IndexedRouter",
]

# A procedure that must keep its writes although the request fails returns a single-key
# object {"error": {...}} (api.problem); jsonb prints it with this prefix.
RETURNED_PROBLEM = b'{"error": {'

Hook = Callable[[Request, dict[str, Any]], Awaitable[dict[str, Any]]]


async def call_procedure(
    request: Request, query: str, params: dict[str, Any], *, status: int, after: Hook | None = None
) -> JsonAnswer:
    body = await fetch_json(request.app.state.pool, query, params)
    if body.startswith(RETURNED_PROBLEM):
        error = json.loads(body)["error"]
        raise ApiProblem(error["status"], error["code"], error.get("detail", ""))
    if after is not None:
        body = dumps(await after(request, json.loads(body)))
    return JsonAnswer(body, status)


class JsonAnswer:
    """The procedure's JSON as the answer, sent as PostgreSQL wrote it. Starlette's Response
    renders and checks its body and headers for every answer; here both are known, so the two
    ASGI messages are built directly (a tenth of the web layer's own cost of a GET)."""

    __slots__ = ("body", "status_code")

    def __init__(self, body: bytes, status_code: int):
        self.body, self.status_code = body, status_code

    async def __call__(self, scope, receive, send) -> None:
        length = b"%d" % len(self.body)
        headers = [(b"content-type", b"application/json"), (b"content-length", length)]
        await send({"type": "http.response.start", "status": self.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


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

    async def dispatch(request: Request) -> JsonAnswer | Response:
        handler = handlers.get(request.method)
        if handler is None:
            raise HTTPException(405, headers=allow)
        return await handler(request)

    async def app(scope, receive, send) -> None:
        # Starlette's request_response wraps each call in closures that apply exception
        # handlers registered on the app; there are none (RequestContextMiddleware turns
        # every exception into its answer), so the route calls its handler directly.
        response = await dispatch(Request(scope, receive, send))
        await response(scope, receive, send)

    built = Route(path, dispatch)
    built.methods = None  # every method matches here (a plain function would get GET only)
    built.app = app
    return built


def path_prefix(path: str) -> str:
    """The first three segments of a path: /api/v1/products for /api/v1/products/42."""
    return "/".join(path.split("/", 4)[:4])


class IndexedRouter(Router):
    """Starlette's Router tries its routes one by one, a regular expression each: eighteen of
    them for GET /api/v1/products/{id}, a fifth of the web layer's cost of that request. This
    one first tries only the routes that share the request path's first three segments, in
    their order, and leaves everything else (404, the trailing-slash redirect) to Starlette's
    walk, so it answers exactly as Router does."""

    def __init__(self, routes: list[Route], **kwargs: Any):
        super().__init__(routes, **kwargs)
        self.by_prefix: dict[str, list[Route]] = {}
        for built in self.routes:
            prefix = path_prefix(built.path)
            if "{" in prefix:
                raise ValueError(f"{built.path}: a parameter in the first three segments")
            self.by_prefix.setdefault(prefix, []).append(built)

    async def app(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            for candidate in self.by_prefix.get(path_prefix(get_route_path(scope)), ()):
                match, child_scope = candidate.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self)
                    scope["route"] = candidate
                    scope.update(child_scope)
                    # Route.handle would only check the method (matched already: FULL) and
                    # call this.
                    await candidate.app(scope, receive, send)
                    return
        await super().app(scope, receive, send)
