"""The OpenAPI 3.1 document of the API, built from api_spec.yaml alone (generated/openapi.json).

It describes exactly what the generated routes accept: the same bounds (integers bounded by
their SQL type), patterns, enums and required fields, the success schema, and a Problem for
every other status a route can answer."""

from __future__ import annotations

from typing import Any

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is the stable machine code (API.md).",
    "required": ["type", "title", "status", "code", "detail", "errors"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Conflict"},
        "status": {"type": "integer", "example": 409},
        "code": {"type": "string", "example": "insufficient_stock"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "request_id": {"type": "string"},
    },
}
ERROR_DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, invalid or expired token, or wrong code",
    403: "Not allowed",
    404: "Not found (or not yours)",
    409: "Conflict with the current state",
    413: "Body larger than 64 KiB",
    422: "Validation error",
    429: "Too many requests",
    500: "Unexpected error; quote the request_id",
    502: "The payment gateway failed",
    503: "Database unavailable or busy; retry",
}
FIELD_KEYS = ("minLength", "maxLength", "pattern", "enum", "format", "default")


# app.validation refuses a NUL character in any text (PostgreSQL text cannot hold one); a
# field without a pattern of its own says so with this one (the spec's patterns exclude NUL).
NO_NUL_PATTERN = "^[^\\u0000]*$"


def field_schema(view: dict[str, Any], *, nullable: bool = False) -> dict[str, Any]:
    """The JSON Schema of one field; `nullable`: an optional body field, where null means left
    out (app.validation.read_body)."""
    field = view["spec"]
    schema: dict[str, Any] = {"type": [field["type"], "null"] if nullable else field["type"]}
    if view["ge"] is not None:
        schema["minimum"] = view["ge"]
    if view["le"] is not None:
        schema["maximum"] = view["le"]
    schema.update({key: field[key] for key in FIELD_KEYS if key in field})
    if field["type"] == "string" and not {"pattern", "enum"} & set(field):
        schema["pattern"] = NO_NUL_PATTERN
    if nullable and "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    if "description" in field:
        schema["description"] = field["description"]
    if "example" in field:
        schema["examples"] = [field["example"]]
    return schema


def body_schema_name(view: dict[str, Any]) -> str:
    return "".join(part.title() for part in view["operation"].split("_")) + "Body"


def body_schema(view: dict[str, Any]) -> dict[str, Any]:
    body = view["groups"]["body"]
    return {
        "type": "object",
        "properties": {f["name"]: field_schema(f, nullable=not f["required"]) for f in body},
        "required": [f["name"] for f in body if f["required"]],
        "additionalProperties": False,  # unknown fields answer 422
    }


def operation(view: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"tags": [view["tag"]], "summary": view["summary"]}
    if view["description"]:
        op["description"] = view["description"]
    op["operationId"] = view["operation"]
    parameters = [
        {
            "name": f["spec"].get("alias", f["name"]),
            "in": location,
            "required": f["required"],
            "schema": field_schema(f),
        }
        | ({"description": f["spec"]["description"]} if "description" in f["spec"] else {})
        for group, location in (("path", "path"), ("query", "query"), ("header", "header"))
        for f in view["groups"][group]
    ]
    if parameters:
        op["parameters"] = parameters
    if view["groups"]["body"]:
        schema = {"$ref": f"#/components/schemas/{body_schema_name(view)}"}
        required = any(f["required"] for f in view["groups"]["body"])  # else it may be left out
        op["requestBody"] = {
            "required": required,
            "content": {"application/json": {"schema": schema}},
        }
    op["responses"] = {
        str(view["status"]): {
            "description": "Success",
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{view['response']}"}}
            },
        }
    } | {
        str(status): {
            "description": ERROR_DESCRIPTIONS.get(status, "Error"),
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for status in view["errors"]
    }
    if view["auth"] == "user":
        op["security"] = [{"bearerAuth": []}]
    elif view["auth"] == "optional":
        op["security"] = [{"bearerAuth": []}, {}]
    return op


def openapi_document(spec: dict[str, Any], views: list[dict[str, Any]]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for view in views:
        paths.setdefault(view["full_path"], {})[view["method"].lower()] = operation(view)
    info = spec["info"]
    return {
        "x-generated": "Code generated by codegen from api_spec.yaml. DO NOT EDIT.",
        "openapi": "3.1.0",
        "info": {
            "title": info["title"],
            "version": info["version"],
            "description": info["description"],
        },
        "paths": paths,
        "components": {
            "schemas": {
                **spec.get("schemas", {}),
                **{body_schema_name(v): body_schema(v) for v in views if v["groups"]["body"]},
                "Problem": PROBLEM_SCHEMA,
            },
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
