"""The API's documentation: FastAPI's OpenAPI document, completed with the answers' schemas
(api_spec.yaml, via generated/models.py) and the Problem schema, and each route's responses
with an example of every problem code it can answer. Swagger UI itself is served by the app
(app.main), so /api/v1/docs works without internet access."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.errors import PROBLEM_JSON, Problem
from generated.models import RESPONSE_SCHEMAS

ERROR_DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, invalid or expired token, an ended session, or a wrong code",
    403: "Not allowed: a deactivated account, or a staff route",
    404: "Not found (or not yours)",
    409: "Conflict with the current state",
    413: "Body larger than 64 KiB",
    422: "Validation error",
    429: "Too many requests",
    500: "Unexpected error; quote the request_id",
    502: "The payment gateway failed",
    503: "Database unavailable or busy; retry",
}
EXAMPLE_REQUEST_ID = "7f9c2ba4e88f827d616045507605853e"


def problem_example(status: int, code: str) -> dict[str, Any]:
    errors = []
    if code == "validation_error":
        errors = [{"field": "page_size", "message": "Input should be less than or equal to 100"}]
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": code.replace("_", " ").capitalize(),
        "errors": errors,
        "request_id": EXAMPLE_REQUEST_ID,
    }


# What a cached catalog route (api_spec.yaml `cache`, app.cache) adds to its success answer.
CACHE_HEADERS = {
    "ETag": {
        "description": "Strong validator of the body; send it back in If-None-Match",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "public, max-age=CATALOG_MAX_AGE for anonymous callers; private, "
        "no-store for an answer that depends on the caller's token",
        "schema": {"type": "string"},
    },
}


# What a route marked `html` (api_spec.yaml, app.html) answers a client preferring text/html.
HTML_CONTENT = {
    "schema": {"type": "string"},
    "example": '<!DOCTYPE html><html lang="en">…</html>',
}


def documented_responses(
    status: int,
    schema: str | None,
    problems: dict[int, list[str]],
    cached: bool = False,
    html: bool = False,
) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a path operation: its success schema, and for each error status the
    Problem schema with one example per code the route can answer with that status. A cached
    route also documents its ETag and Cache-Control, and the 304 of a current If-None-Match;
    an `html` route the text/html page it answers when the client prefers it, and Vary."""
    success: dict[str, Any] = {"description": HTTPStatus(status).phrase}
    if schema is not None:  # None: a 204, with no body
        success["content"] = {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
        }
    if html:
        success["content"]["text/html"] = HTML_CONTENT
        success["headers"] = {
            "Vary": {
                "description": "Accept: the JSON and the page are different answers",
                "schema": {"type": "string"},
            }
        }
    responses: dict[int | str, dict[str, Any]] = {status: success}
    if cached:
        success["headers"] = CACHE_HEADERS
        responses[304] = {
            "description": "Not Modified: If-None-Match named the current ETag; no body",
            "headers": CACHE_HEADERS,
        }
    for error, codes in problems.items():
        responses[error] = {
            "description": ERROR_DESCRIPTIONS.get(error, HTTPStatus(error).phrase),
            "content": {
                PROBLEM_JSON: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "examples": {
                        code: {"summary": code, "value": problem_example(error, code)}
                        for code in codes
                    },
                }
            },
        }
    return responses


def install_openapi(app: FastAPI) -> None:
    """FastAPI's document, plus the schemas that the responses name (the "Extending OpenAPI"
    recipe of FastAPI's documentation)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(problem.pop("$defs"))
            schemas.update(RESPONSE_SCHEMAS, Problem=problem)
            document["components"]["schemas"] = dict(sorted(schemas.items()))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
