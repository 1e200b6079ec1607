"""The one place where failures become application/problem+json (RFC 9457): the app's
exception handlers (install_handlers).

Procedures raise SQLSTATE 'JK' + HTTP status with the API code as the message (docs/api.md);
this module only translates. No SQL, driver text or stack trace reaches a client.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import psycopg
from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from psycopg_pool import PoolTimeout
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.gateway import GatewayError
from app.telemetry import trace_id

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


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; `code` is the stable machine code (docs/api.md)."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    errors: list[FieldError]
    request_id: str | None = None
    trace_id: str | None = Field(
        None,
        pattern="^[0-9a-f]{32}$",
        description="The request's trace id, present when the request is traced",
    )


def problem_body(status: int, code: str, detail: str, errors: list[dict] | None = None) -> dict:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": detail,
        "errors": errors or [],
        "request_id": correlation_id.get(),
    }
    traced = trace_id()
    if traced is not None:
        body["trace_id"] = traced
    return body


def problem_response(problem: ApiProblem) -> Response:
    body = problem_body(problem.status, problem.code, problem.detail, problem.errors)
    headers = problem.headers
    if problem.status == 401:  # RFC 9110: a 401 names the scheme that would be accepted
        headers = {"WWW-Authenticate": "Bearer", **headers}
    return JSONResponse(body, problem.status, headers, media_type=PROBLEM_JSON)


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
        code = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(
            exc.status_code, HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        )
        detail = exc.detail if isinstance(exc.detail, str) else ""
        return ApiProblem(exc.status_code, code, detail, headers=exc.headers)
    if isinstance(exc, RequestValidationError):
        return validation_problem(exc)
    return None


def validation_problem(exc: RequestValidationError) -> ApiProblem:
    """One 422 naming every bad field: a body field by its name, a header by its HTTP name,
    the body itself as `body` (not JSON, or not an object)."""
    errors = []
    for error in exc.errors():
        names = [part for part in error["loc"][1:] if isinstance(part, str)]
        field = names[0] if names and error["type"] != "json_invalid" else error["loc"][0]
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "is not a field of this request"
        elif error["type"] == "missing":
            message = "is required"
        errors.append({"field": str(field), "message": message})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return ApiProblem(422, "validation_error", detail, errors)


async def handle_problem(request: Request, exc: Exception) -> Response:
    """Every exception with a problem of its own (problem_for); a bug answers 500."""
    problem = problem_for(exc)
    if problem is None:
        return await handle_bug(request, exc)
    return problem_response(problem)


def allowed_methods(routes: list[APIRoute], path: str) -> list[str]:
    """Every method a path answers (Starlette's 405 names those of one route only): the
    routes of exactly this path, or else those whose template matches it."""
    routes = [r for r in routes if r.include_in_schema]
    matching = [r for r in routes if r.path == path] or [
        r for r in routes if r.path_regex.match(path)
    ]
    return sorted({method for route in matching for method in route.methods})


async def handle_bug(request: Request, exc: Exception) -> Response:
    """The last resort: logged with its traceback and the request id, answered 500."""
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        ApiProblem(500, "internal_error", "Something went wrong on our side; quote the request_id")
    )


def install_handlers(app: FastAPI, routes: list[APIRoute]) -> None:
    """The app's exception handlers; `routes`, to name the methods of a 405."""

    async def handle_http_exception(request: Request, exc: Exception) -> Response:
        problem = problem_for(exc)
        assert problem is not None
        if problem.status == 405:
            problem.headers = {"Allow": ", ".join(allowed_methods(routes, request.url.path))}
        return problem_response(problem)

    for exception in (ApiProblem, psycopg.Error, PoolTimeout, GatewayError, RequestValidationError):
        app.add_exception_handler(exception, handle_problem)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    app.add_exception_handler(Exception, handle_bug)
