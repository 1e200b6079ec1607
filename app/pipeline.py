"""What every HTTP request goes through, in one coroutine: a request id (on the response and
on every log line), the body size limit (413), the route's handler, the one place where an
exception becomes its problem+json answer (app.errors) or the last-resort 500 for a bug
(logged with its traceback and the request id), the answer sent, and one access-log line.

Handlers return their answer (a Starlette Response with its whole body, or the runtime's
JsonAnswer) rather than sending it, so that this is the only place that sends: the request
id and the status need no wrapper around `send`, and no layer of coroutines stands between
the server and the handler (each layer is paid again at every database wait)."""

from __future__ import annotations

import os
import re
import time

from starlette.requests import Request

from app.context import request_id_var
from app.errors import ApiProblem, internal_error_response, problem_for, problem_response
from app.logging_setup import access_line
from app.logging_setup import access_log as log
from app.runtime import IndexedRouter

# A client-sent id is kept only when it is short and plain, so it is safe to log and echo.
ACCEPTABLE_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")
# No request of this API needs more.
MAX_BODY_BYTES = 64 * 1024


class RequestIds:
    """Random request ids of 32 hex digits (128 bits), without a system call per request: the
    random bytes are drawn for 1,024 ids at a time, cut into ids in C (bytes.hex with a
    separator, then split), and drawn again in a forked child, which would otherwise repeat
    its parent's. os.urandom(16).hex() at every request made a getrandom system call and took
    490 ns (timeit); slicing a drawn string in Python, 145 ns; popping a ready id, 119 ns.
    Random rather than counted, so an id tells a client nothing about the store's traffic."""

    IDS_PER_DRAW = 1024

    def __init__(self):
        self.ready: list[str] = []
        os.register_at_fork(after_in_child=self.ready.clear)

    def next(self) -> str:
        ready = self.ready
        if not ready:
            ready.extend(os.urandom(16 * self.IDS_PER_DRAW).hex(" ", 16).split())
        return ready.pop()


request_ids = RequestIds()


class BodyTooLarge(Exception):
    pass


def body_too_large_response():
    return problem_response(
        ApiProblem(413, "body_too_large", f"A request body may be at most {MAX_BODY_BYTES} bytes")
    )


def needs_reading(headers: dict[bytes, bytes]) -> bool:
    """Whether the body must be read here to hold it to MAX_BODY_BYTES. The server holds a body
    to its Content-Length, so a declared length is checked at once (BodyTooLarge); only a
    chunked body (no length) must be read (read_limited_body)."""
    declared = headers.get(b"content-length")
    if declared is not None:
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            raise BodyTooLarge
        return False
    # Not `b"chunked" in headers.get(..., b"")`: `bytes in bytes` first tries the needle as an
    # integer, and raises and clears a TypeError to find it is not (2k instructions a GET).
    encoding = headers.get(b"transfer-encoding")
    return encoding is not None and b"chunked" in encoding


async def read_limited_body(receive):
    """Read a chunked body up to the limit, and replay it to the app."""
    body, more = b"", True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return receive  # the client went away; let the app see it as usual
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > MAX_BODY_BYTES:
            raise BodyTooLarge
    replayed = False

    async def replay():
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class RequestPipeline:
    """The ASGI application's entry; the app (app.main.JioKidzApp) supplies `router`."""

    router: IndexedRouter

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":  # lifespan
            return await self.router.app(scope, receive, send)
        scope["app"] = self  # request.app.state
        headers = dict(scope["headers"])
        request_id = headers.get(b"x-request-id")
        if request_id is not None and ACCEPTABLE_REQUEST_ID.match(request_id):
            request_id = request_id.decode()
        else:
            request_id = request_ids.next()
        # No reset needed: the server runs each request in a task of its own, with its own
        # copy of the context.
        request_id_var.set(request_id)
        started = time.perf_counter()
        status = None
        try:
            try:
                if needs_reading(headers):
                    receive = await read_limited_body(receive)
                handler = self.router.handler_for(scope)
                answer = await handler(Request(scope, receive))
            except BodyTooLarge:
                answer = body_too_large_response()
            except Exception as exc:
                problem = problem_for(exc)
                if problem is None:
                    log.exception("unexpected error on %s %s", scope["method"], scope["path"])
                    answer = internal_error_response()
                else:
                    answer = problem_response(problem)
            status = answer.status_code
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [*answer.raw_headers, (b"x-request-id", request_id.encode())],
                }
            )
            await send({"type": "http.response.body", "body": answer.body})
        finally:
            access_line.write(
                request_id,
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )
