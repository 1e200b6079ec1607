"""What the generated routes call: authentication, one procedure call, the answer."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette._utils import get_route_path
from starlette.convertors import StringConvertor
from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, Router

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

Handler = Callable[[Request], Awaitable[Response]]
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


class JsonAnswer(Response):
    """The procedure's JSON as the answer, as PostgreSQL wrote it. Starlette's Response
    renders and checks its body and headers in __init__; here both are known, so they are
    set directly (a tenth of the web layer's own cost of a GET). A Response still, so it
    answers wherever a Starlette Response would."""

    def __init__(self, body: bytes, status_code: int):
        self.body, self.status_code, self.background = body, status_code, None
        self.raw_headers = [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(body)),
        ]


async def raw_body(request: Request) -> str:
    """The body exactly as received, for signatures computed over the raw bytes."""
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem(400, "bad_request", "The body is not UTF-8") from None


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def route(path: str, handlers: dict[str, Handler]) -> Route:
    """One route per path, dispatching on the method: each handler takes the Request and
    returns its answer (app.pipeline sends it). The route claims its path for every method
    and answers 405 itself, listing in Allow exactly the methods the path answers (not the
    HEAD Starlette adds to GET). Claiming the path matters where a literal path shares its
    place with a templated one: Starlette would pass GET /payments/initiate, a POST-only path,
    on to GET /payments/{order_id} (a 422 for the id "initiate"); codegen lists literal paths
    first, so it answers 405."""
    # An ASGI app rather than a function: Starlette then matches every method to it (a
    # function would get GET only) and calls it as it is.
    return Route(path, MethodDispatch(handlers))


class MethodDispatch:
    """A path's handlers by method, as the ASGI app of its route."""

    __slots__ = ("handlers", "allow")

    def __init__(self, handlers: dict[str, Handler]):
        self.handlers = handlers
        self.allow = {"Allow": ", ".join(handlers)}

    async def __call__(self, scope, receive, send) -> None:
        """As Starlette's Router calls a route (IndexedRouter.handler_for is the app's way)."""
        handler = self.handlers.get(scope["method"])
        if handler is None:
            raise HTTPException(405, headers=self.allow)
        response = await handler(Request(scope, receive, send))
        await response(scope, receive, send)


def path_prefix(path: str) -> str:
    """The first three segments of a path: /api/v1/products for /api/v1/products/42."""
    return "/".join(path.split("/", 4)[:4])


class IndexedRouter(Router):
    """Routes a request to its handler as Starlette's Router would, without its walk.
    Router tries its routes one by one, a regular expression each (eighteen of them for
    GET /api/v1/products/{id}, a fifth of the web layer's cost of that request) and calls
    the route's app, which sends. IndexedRouter takes route() routes only: it finds a literal
    path in a dict; a path whose route ends in its one parameter (/api/v1/products/{id}) in
    a dict by the path's parent; else it tries only the routes that share the request path's
    first three segments, in their order, by their regular expression alone (their
    parameters are plain text and they take every method), and returns the handler, which
    returns its answer. Router itself still runs the lifespan."""

    def __init__(self, routes: list[Route], **kwargs: Any):
        super().__init__(routes, **kwargs)
        self.literal: dict[str, Route] = {}
        self.by_prefix: dict[str, list[Route]] = {}
        for built in self.routes:
            if not isinstance(built.app, MethodDispatch) or not all(
                isinstance(convertor, StringConvertor)
                for convertor in built.param_convertors.values()
            ):
                raise ValueError(f"{built.path}: not a route() route with plain parameters")
            prefix = path_prefix(built.path)
            if "{" in prefix:
                raise ValueError(f"{built.path}: a parameter in the first three segments")
            earlier = self.by_prefix.setdefault(prefix, [])
            if "{" in built.path or any(r.path_regex.match(built.path) for r in earlier):
                earlier.append(built)
            else:  # no earlier route of the walk would take this literal path first
                self.literal[built.path] = built
        # parent path -> (route, name of its last segment's parameter), for a route that
        # takes every path of its parent plus one segment and that no earlier route of the
        # walk could take first (none with as many segments comes before it).
        self.by_parent: dict[str, tuple[Route, str]] = {}
        for walk in self.by_prefix.values():
            for index, candidate in enumerate(walk):
                parent, _, last = candidate.path.rpartition("/")
                segments = candidate.path.count("/")
                if (
                    len(candidate.param_convertors) == 1
                    and last.startswith("{")
                    and last.endswith("}")
                    and all(r.path.count("/") != segments for r in walk[:index])
                ):
                    (name,) = candidate.param_convertors
                    self.by_parent.setdefault(parent, (candidate, name))

    def find(self, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for a path, with its path parameters."""
        found = self.literal.get(path)
        if found is not None:
            return found, {}
        parent, _, last = path.rpartition("/")
        found = self.by_parent.get(parent)
        if found is not None and last:
            return found[0], {found[1]: last}
        for candidate in self.by_prefix.get(path_prefix(path), ()):
            match = candidate.path_regex.match(path)
            if match is not None:
                return candidate, match.groupdict()
        return None

    def handler_for(self, scope) -> Handler:
        """The handler of the request's route and method, after leaving in the scope what
        Route.matches and Router.app would. HTTPException 405 for a method the path does not
        answer, 404 for a path no route takes; the trailing-slash redirect of Router.app for
        a path that only differs from a route's by its last slash."""
        route_path = scope["path"] if not scope.get("root_path") else get_route_path(scope)
        found = self.find(route_path)
        if found is None:
            return self.missing(scope, route_path)
        # Not "router" and "endpoint", which Router also leaves: nothing here reads them
        # (request.url_for would), and every request would pay for them.
        scope["route"], scope["path_params"] = found
        dispatch = found[0].app
        handler = dispatch.handlers.get(scope["method"])
        if handler is None:
            raise HTTPException(405, headers=dispatch.allow)
        return handler

    def missing(self, scope, route_path: str) -> Handler:
        if self.redirect_slashes and route_path != "/":
            redirect_scope = dict(scope)
            if route_path.endswith("/"):
                redirect_scope["path"] = scope["path"].rstrip("/")
            else:
                redirect_scope["path"] = scope["path"] + "/"
            if self.find(get_route_path(redirect_scope)) is not None:

                async def redirect(request: Request) -> Response:
                    return RedirectResponse(url=str(URL(scope=redirect_scope)))

                return redirect
        raise HTTPException(404)
