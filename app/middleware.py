"""Pure ASGI middleware (cheaper than @app.middleware, see FIELD-NOTES.md) around every request:
a request id on the response and on every log line, one access-log line, and the last-resort
500 problem for an unexpected exception (logged with its traceback and the request id)."""

from __future__ import annotations

import logging
import re
import time
import uuid

from app.context import request_id_var
from app.errors import internal_error_response

log = logging.getLogger("jiokidz.access")
# A client-sent id is kept only when it is short and plain, so it is safe to log and echo.
ACCEPTABLE_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")


class RequestContextMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = next(
            (
                value.decode()
                for name, value in scope["headers"]
                if name == b"x-request-id" and ACCEPTABLE_REQUEST_ID.match(value)
            ),
            uuid.uuid4().hex,
        )
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = None

        async def send_with_request_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            if status is not None:
                raise  # the answer has begun; only the server can cut the connection now
            await internal_error_response()(scope, receive, send_with_request_id)
        finally:
            log.info(
                "%s %s %s %.1fms",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )
            request_id_var.reset(token)
