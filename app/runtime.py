"""What the generated routes call: authentication, one procedure call, the answer."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette._utils import get_route_path
from starlette.convertors import StringConvertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
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
    first, so it answers 405. IndexedRouter calls the handlers itself (MethodDispatch.handle);
    the route's app is what Starlette's own Router calls."""
    # An ASGI app rather than a function: Starlette then matches every method to it (a
    # function would get GET only) and calls it as it is.
    return Route(path, MethodDispatch(handlers))


class MethodDispatch:
    """A path's handlers by method, as the ASGI app of its route."""

    __slots__ = ("handlers", "allow")

    def __init__(self, handlers: dict[str, Any]):
        self.handlers = handlers
        self.allow = {"Allow": ", ".join(handlers)}

    async def __call__(self, scope, receive, send) -> None:
        # Starlette's request_response wraps each call in closures that apply exception
        # handlers registered on the app; there are none (RequestContextMiddleware turns
        # every exception into its answer), so the handler is called directly.
        await self.handle(scope, receive, send)

    def handle(self, scope, receive, send) -> Awaitable[None]:
        """The answer's coroutine. Not a coroutine function itself, so that the router awaits
        the handler's answer one layer of coroutines closer: each layer is paid again at every
        database wait."""
        handler = self.handlers.get(scope["method"])
        if handler is None:
            raise HTTPException(405, headers=self.allow)
        return answer(handler, Request(scope, receive, send), scope, receive, send)


async def answer(handler, request: Request, scope, receive, send) -> None:
    response = await handler(request)
    await response(scope, receive, send)


def taken_by_any(routes: list[tuple[Route, Any]], path: str) -> bool:
    return any(earlier.path_regex.match(path) for earlier, _ in routes)


def path_prefix(path: str) -> str:
    """The first three segments of a path: /api/v1/products for /api/v1/products/42."""
    return "/".join(path.split("/", 4)[:4])


class IndexedRouter(Router):
    """Starlette's Router tries its routes one by one, a regular expression each: eighteen of
    them for GET /api/v1/products/{id}, a fifth of the web layer's cost of that request. This
    one finds a literal path of route() in a dict, else tries only the routes that share the
    request path's first three segments, in their order (a route() path by its regular
    expression alone: its parameters are plain text, and it takes every method), and leaves
    everything else (404, the trailing-slash redirect) to Starlette's walk, so it answers
    exactly as Router does."""

    def __init__(self, routes: list[Route], **kwargs: Any):
        super().__init__(routes, **kwargs)
        self.literal: dict[str, Route] = {}
        self.by_prefix: dict[str, list[tuple[Route, re.Pattern | None]]] = {}
        for built in self.routes:
            prefix = path_prefix(built.path)
            if "{" in prefix:
                raise ValueError(f"{built.path}: a parameter in the first three segments")
            earlier = self.by_prefix.setdefault(prefix, [])
            plain = isinstance(built.app, MethodDispatch) and all(
                isinstance(convertor, StringConvertor)
                for convertor in built.param_convertors.values()
            )
            if not plain:
                earlier.append((built, None))
            elif "{" in built.path or taken_by_any(earlier, built.path):
                earlier.append((built, built.path_regex))
            else:  # no earlier route of the walk would take this literal path first
                self.literal[built.path] = built

    def app(self, scope, receive, send) -> Awaitable[None]:
        """The coroutine that answers (a plain function for the reason MethodDispatch.handle
        gives)."""
        if scope["type"] == "http":
            route_path = scope["path"] if not scope.get("root_path") else get_route_path(scope)
            found = self.literal.get(route_path)
            if found is not None:
                scope.setdefault("path_params", {})
                return self.enter(found, scope, receive, send)
            for candidate, regex in self.by_prefix.get(path_prefix(route_path), ()):
                if regex is not None:
                    match = regex.match(route_path)
                    if match is not None:
                        scope["path_params"] = {**scope.get("path_params", {}), **match.groupdict()}
                        return self.enter(candidate, scope, receive, send)
                    continue
                match, child_scope = candidate.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self)
                    scope["route"] = candidate
                    scope.update(child_scope)
                    # Route.handle would only check the method (matched already: FULL) and
                    # call the route's app.
                    return candidate.app(scope, receive, send)
        return super().app(scope, receive, send)

    def enter(self, found: Route, scope, receive, send) -> Awaitable[None]:
        """What Route.matches and Router.app leave in the scope, then the route's handler."""
        scope.setdefault("router", self)
        scope["route"] = found
        scope["endpoint"] = found.endpoint
        return found.app.handle(scope, receive, send)
