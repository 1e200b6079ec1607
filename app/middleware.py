"""The pure ASGI middleware around every request (not BaseHTTPMiddleware, which costs a task
and a copy of each answer): the access log with the request metrics, and the body size limit.
Request ids come from asgi-correlation-id (app.main)."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem_for, problem_response
from app.metrics import observe_request
from app.telemetry import trace_id

access_log = logging.getLogger("jiokidz.access")
# No request of this API needs more.
MAX_BODY_BYTES = 64 * 1024


class AccessLog:
    """One line per request through the logging module: method, path, status, milliseconds,
    and `trace=<trace id>` when the request is traced (the request id comes with every line:
    app.logs). A request that raised logs 500, the answer the server's error handler gives
    it. The same observation feeds the request metrics (app.metrics)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500

        async def watched_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            seconds = time.perf_counter() - started
            observe_request(scope, status, seconds)
            traced = trace_id()
            access_log.info(
                "%s %s %s %.1fms%s",
                scope["method"],
                scope["path"],
                status,
                seconds * 1000,
                f" trace={traced}" if traced else "",
            )


class BodyTooLarge(HTTPException):
    """An HTTPException, so that it passes through FastAPI's body parsing (which turns any
    other exception into a 400) to the app's handler (app.errors)."""

    def __init__(self):
        super().__init__(413, f"A request body may be at most {MAX_BODY_BYTES} bytes")


class BodyLimit:
    """413 body_too_large, as problem+json with its request id, for a body over MAX_BODY_BYTES:
    at once when Content-Length says so, else (chunked) as soon as the body read so far
    passes it (raised to the app's handler). Ours rather than FastAPI's max_body_size, which
    answers a plain-text "Content Too Large" that clients of this API could not parse."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            return await self.too_large(scope, receive, send)
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise BodyTooLarge
            return message

        await self.app(scope, limited_receive, send)

    @staticmethod
    async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
        problem = problem_for(BodyTooLarge())
        await problem_response(problem)(scope, receive, send)


class NoStoreByDefault:
    """Cache-Control: no-store on every answer that does not set its own: answers for a user,
    writes and errors must not be kept by browsers or CDNs. The public catalog's answers set
    theirs (app.cache)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_default(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_default)
