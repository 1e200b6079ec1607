"""Request validation for the generated routes, driven by the field specs codegen writes from
api_spec.yaml: path, query and header parameters, and JSON bodies. Every problem in a request
is collected and answered once as a 422 validation_error naming each field.

Strict on purpose: a JSON body field of type integer takes a JSON integer (not "2", not true),
unknown body fields are refused (no mass assignment), and text never carries a NUL byte or a
lone UTF-16 surrogate (PostgreSQL text can hold neither)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from app.errors import ApiProblem

MISSING = object()
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,25}")


@dataclass(frozen=True)
class Field:
    """One input of an endpoint, as api_spec.yaml declares it (bounds already resolved)."""

    name: str
    type: str  # string | integer | boolean
    required: bool = False
    default: Any = None
    ge: int | None = None
    le: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    alias: str | None = None  # headers: the HTTP header name
    compiled: re.Pattern | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.pattern is not None:
            object.__setattr__(self, "compiled", re.compile(self.pattern))
        if self.type == "integer" and (self.ge is None or self.le is None):
            raise ValueError(f"{self.name}: an integer field needs both bounds (its SQL type's)")


class Fields:
    """An endpoint's fields of one place (path, query, headers or body), with what checking a
    request needs worked out once: a request then pays for the values it sends, not for every
    field the endpoint could take (GET /products takes twelve, a request sends a few)."""

    __slots__ = ("specs", "by_key", "defaults", "required", "names")

    def __init__(self, *specs: Field):
        self.specs = specs
        # Header names are case-insensitive, and Starlette gives them in lower case.
        self.by_key = {spec.alias.lower() if spec.alias else spec.name: spec for spec in specs}
        self.defaults = {spec.name: spec.default for spec in specs}
        self.required = tuple((key, spec) for key, spec in self.by_key.items() if spec.required)
        self.names = frozenset(spec.name for spec in specs)

    def __iter__(self):
        return iter(self.specs)


class Problems(list):
    """Field errors of one request, raised together. A list: making one costs no __init__ call,
    and every request makes one."""

    def add(self, name: str, message: str) -> None:
        self.append({"field": name, "message": message})

    def problem(self) -> ApiProblem:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in self)
        return ApiProblem(422, "validation_error", detail, list(self))


def is_utf8_encodable(value: str) -> bool:
    """False for a string holding a lone UTF-16 surrogate: JSON lets "\\ud800" through, but no
    UTF-8 text (nor PostgreSQL) can hold it."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def check_value(spec: Field, value: Any, problems: Problems) -> Any:
    """`value` of the right JSON type checked against the spec; MISSING when it is refused."""
    if spec.type == "integer":
        if spec.ge <= value <= spec.le:
            return value
        if value < spec.ge:
            problems.add(spec.name, f"must be at least {spec.ge}")
        else:
            problems.add(spec.name, f"must be at most {spec.le}")
        return MISSING
    elif spec.type == "string":
        if spec.enum is not None and value in spec.enum:
            return value  # the spec's own words: plain text of an allowed length
        if "\x00" in value:
            problems.add(spec.name, "must not contain NUL characters")
            return MISSING
        if not value.isascii() and not is_utf8_encodable(value):
            problems.add(spec.name, "must be Unicode text (a lone surrogate is not)")
            return MISSING
        if spec.min_length is not None and len(value) < spec.min_length:
            problems.add(spec.name, f"must be at least {spec.min_length} characters long")
            return MISSING
        if spec.max_length is not None and len(value) > spec.max_length:
            problems.add(spec.name, f"must be at most {spec.max_length} characters long")
            return MISSING
        if spec.enum is not None and value not in spec.enum:
            problems.add(spec.name, "must be one of " + ", ".join(spec.enum))
            return MISSING
        if spec.compiled is not None and not spec.compiled.search(value):
            problems.add(spec.name, f"must match {spec.pattern}")
            return MISSING
    return value


def from_text(spec: Field, raw: str, problems: Problems) -> Any:
    """A path, query or header value (always text on the wire) as the spec's type."""
    if spec.type == "integer":
        if not WHOLE_NUMBER.fullmatch(raw):
            problems.add(spec.name, "must be a whole number")
            return MISSING
        value = int(raw)
        return value if spec.ge <= value <= spec.le else check_value(spec, value, problems)
    if spec.type == "boolean":
        lowered = raw.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        problems.add(spec.name, "must be true or false")
        return MISSING
    return check_value(spec, raw, problems)


def query_params(request: Request) -> dict[str, str]:
    """The query string as Starlette's request.query_params reads it (the last of repeated
    names wins), as a plain dict: half the cost of its multi-dict, read once per request."""
    text = request.scope["query_string"].decode("latin-1")
    if "%" in text or "+" in text:
        return dict(parse_qsl(text, keep_blank_values=True))
    # Nothing to decode: what parse_qsl would give, without its pure-Python loop over the
    # pairs (more of a GET /products than all of our own code).
    return dict(pair.partition("=")[::2] for pair in text.split("&") if pair)


def read_params(
    request: Request,
    path: Fields | None = None,
    query: Fields | None = None,
    headers: Fields | None = None,
) -> dict[str, Any]:
    """Path, query and header parameters by name; 422 for any that is missing or invalid.
    A query string or the headers are parsed only when the endpoint has such fields."""
    problems = Problems()
    values: dict[str, Any] = {}
    if path is not None:
        read_text_fields(path, request.scope["path_params"], values, problems)
    if query is not None:
        read_text_fields(query, query_params(request), values, problems)
    if headers is not None:
        first_of_each = {}  # as request.headers.get reads a repeated header
        for name, value in request.headers.items():
            first_of_each.setdefault(name, value)
        read_text_fields(headers, first_of_each, values, problems)
    if problems:
        raise problems.problem()
    return values


def read_text_fields(fields: Fields, given: dict[str, str], values: dict, problems: Problems):
    """The fields' values from `given` (text by name; names no field has are ignored) into
    `values`, with each absent field's default."""
    values.update(fields.defaults)
    for key, spec in fields.required:
        if key not in given:
            problems.add(spec.name, "is required")
    by_key = fields.by_key
    for key, raw in given.items():
        spec = by_key.get(key)
        if spec is not None:
            values[spec.name] = from_text(spec, raw, problems)


JSON_TYPES = {"string": (str,), "integer": (int,), "boolean": (bool,)}
TYPE_NAMES = {"string": "a string", "integer": "a whole number", "boolean": "true or false"}


async def read_body(request: Request, specs: Fields) -> dict[str, Any]:
    """The JSON object body checked field by field; absent optional fields come back as None.
    A body whose fields are all optional may be left out entirely (e.g. a cancel's reason)."""
    raw = await request.body()
    if not raw.strip() and not specs.required:
        raw = b"{}"
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        body = None
    problems = Problems()
    if not isinstance(body, dict):
        problems.add("body", "must be a JSON object")
        raise problems.problem()
    for name in body:
        if name not in specs.names:
            problems.add(name, "is not a field of this request")
    values: dict[str, Any] = {}
    for spec in specs:
        value = body.get(spec.name, MISSING)
        if value is MISSING or value is None:
            if spec.required:
                problems.add(spec.name, "is required")
            values[spec.name] = None
            continue
        # JSON Schema counts 2.0 as an integer; bool is an int in Python, but JSON true is not.
        if spec.type == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, JSON_TYPES[spec.type]) or (
            spec.type == "integer" and isinstance(value, bool)
        ):
            problems.add(spec.name, f"must be {TYPE_NAMES[spec.type]}")
            continue
        values[spec.name] = check_value(spec, value, problems)
    if problems:
        raise problems.problem()
    return values
