"""The one place where failures become application/problem+json (RFC 9457).

Procedures raise SQLSTATE 'JK' + HTTP status with the API code as the message (DESIGN.md);
this module only translates. No SQL, driver text or stack trace reaches a client.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import psycopg
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.context import request_id_var
from app.gateway import GatewayError
from app.jsonbytes import dumps

log = logging.getLogger("jiokidz.errors")
PROBLEM_JSON = "application/problem+json"


class ApiProblem(Exception):
    """An error answer: HTTP status, stable machine `code`, human `detail`, field `errors`."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str = "",
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(f"{status} {code}: {detail}")
        self.status, self.code, self.detail = status, code, detail
        self.errors = errors or []
        self.headers = headers or {}


def problem_response(problem: ApiProblem) -> Response:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(problem.status).phrase,
        "status": problem.status,
        "code": problem.code,
        "detail": problem.detail,
        "errors": problem.errors,
        "request_id": request_id_var.get(),
    }
    headers = problem.headers
    if problem.status == 401:  # RFC 9110: a 401 names the scheme that would be accepted
        headers = {"WWW-Authenticate": "Bearer", **headers}
    return Response(dumps(body), problem.status, headers, media_type=PROBLEM_JSON)


def database_unavailable() -> ApiProblem:
    return ApiProblem(
        503,
        "service_unavailable",
        "The database is unavailable; please retry",
        headers={"Retry-After": "2"},
    )


def from_database_error(exc: psycopg.Error) -> ApiProblem | None:
    """A psycopg error as the problem the client should see; None for a bug (answered 500)."""
    sqlstate = exc.sqlstate or ""
    diag = exc.diag
    if sqlstate.startswith("JK") and sqlstate[2:].isdigit():
        status = int(sqlstate[2:])
        detail = diag.message_detail or ""
        errors = [{"field": diag.column_name, "message": detail}] if diag.column_name else []
        return ApiProblem(status, diag.message_primary or "error", detail, errors)
    if sqlstate.startswith("22") or (isinstance(exc, psycopg.DataError) and not sqlstate):
        # Data exceptions (value out of range, NUL byte in text, bad encoding...): bad input.
        return ApiProblem(422, "validation_error", "A value in the request is not acceptable")
    if sqlstate in ("40001", "40P01", "55P03", "57014"):
        # Contention that survived our retries, a lock or statement timeout: try again later.
        return ApiProblem(
            503,
            "service_unavailable",
            "The store is busy; please retry",
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, psycopg.OperationalError):
        return database_unavailable()
    return None


def problem_for(exc: Exception) -> ApiProblem | None:
    """The problem a client sees for an exception raised while answering it; None for a bug
    (the caller logs it and answers 500)."""
    if isinstance(exc, ApiProblem):
        return exc
    if isinstance(exc, psycopg.Error):
        problem = from_database_error(exc)
        if problem is not None and problem.status >= 500:
            log.warning("database unavailable: %s: %s", type(exc).__name__, exc)
        return problem
    if isinstance(exc, PoolTimeout):
        log.warning("no database connection within the pool timeout")
        return database_unavailable()
    if isinstance(exc, GatewayError):
        log.warning("payment gateway error: %s", exc)
        return ApiProblem(
            502, "payment_gateway_error", "The payment gateway did not accept the request; retry"
        )
    if isinstance(exc, StarletteHTTPException):  # the router's 404 and 405
        code = {404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        )
        detail = exc.detail if isinstance(exc.detail, str) else ""
        return ApiProblem(exc.status_code, code, detail, headers=exc.headers)
    return None


def internal_error_response() -> Response:
    return problem_response(
        ApiProblem(500, "internal_error", "Something went wrong on our side; quote the request_id")
    )
