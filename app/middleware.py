"""Pure ASGI middleware (cheaper than @app.middleware, see FIELD-NOTES.md) around every request:
a request id on the response and on every log line, one access-log line, the body size limit
(413), and the one place where an exception becomes its problem+json answer (app.errors), or
the last-resort 500 for a bug (logged with its traceback and the request id)."""

from __future__ import annotations

import os
import re
import time

from app.context import request_id_var
from app.errors import ApiProblem, internal_error_response, problem_for, problem_response
from app.logging_setup import access_line
from app.logging_setup import access_log as log

# A client-sent id is kept only when it is short and plain, so it is safe to log and echo.
ACCEPTABLE_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")
# No request of this API needs more.
MAX_BODY_BYTES = 64 * 1024


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
    return b"chunked" in headers.get(b"transfer-encoding", b"")


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


class RequestContextMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        request_id = headers.get(b"x-request-id")
        if request_id is not None and ACCEPTABLE_REQUEST_ID.match(request_id):
            request_id = request_id.decode()
        else:
            request_id = os.urandom(16).hex()  # cheaper than uuid4().hex, the same 128 bits
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = None
        request_id_header = (b"x-request-id", request_id.encode())

        def send_with_request_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), request_id_header]
            return send(message)  # a plain function: one coroutine layer fewer per message

        try:
            if needs_reading(headers):
                receive = await read_limited_body(receive)
            await self.app(scope, receive, send_with_request_id)
        except BodyTooLarge:
            if status is not None:
                raise
            await body_too_large_response()(scope, receive, send_with_request_id)
        except Exception as exc:
            problem = problem_for(exc)
            if problem is None:
                log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            if status is not None:
                raise  # the answer has begun; only the server can cut the connection now
            response = internal_error_response() if problem is None else problem_response(problem)
            await response(scope, receive, send_with_request_id)
        finally:
            access_line.write(
                request_id,
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )
            request_id_var.reset(token)
