"""Hostile input on every route of api_spec.yaml (huge integers and NUL bytes are the classic 500s):
each input of each endpoint gets NUL bytes, lone surrogates, integers past any SQL type, strings
past their length, wrong JSON types and values outside its enum, and each body an unknown field, a
non-object and an oversized payload, while every other input is valid. Each answer must be a 4xx
problem+json that names the field, and nothing in the store may change (every table compared before
and after)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import assert_problem, login
from tests.helpers_spec import (
    ENDPOINTS,
    endpoint_id,
    example,
    fields,
    store_fingerprint,
    valid_call,
)
from tests.reliability import Tally, report

TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield
    report("hostile input, every route", TALLY)


@pytest.fixture(scope="module")
def token(server) -> str:
    with httpx.Client(base_url=server.base_url + "/api/v1", timeout=10) as http:
        return login(http)[0]


def integer_variants(group: str, spec: dict) -> list[tuple[str, Any]]:
    low, high = spec.get("minimum"), spec.get("maximum")
    if group == "body":
        values = [
            ("beyond bigint", 2**63),
            ("below bigint", -(2**63) - 1),
            ("30 digits", 10**30),
            ("a string", "12"),
            ("a fraction", 1.5),
            ("a boolean", True),
            ("a list", [1]),
            ("an object", {"n": 1}),
        ]
    else:  # text on the wire
        values = [
            ("30 digits", "9" * 30),
            ("a fraction", "1.5"),
            ("a word", "ten"),
            ("hex", "0x10"),
            ("a full-width digit", "１"),
        ]
    if low is not None:
        values.append(("below the minimum", low - 1 if group == "body" else str(low - 1)))
    if high is not None:
        values.append(("above the maximum", high + 1 if group == "body" else str(high + 1)))
    return values


def string_variants(group: str, spec: dict, valid: str) -> list[tuple[str, Any]]:
    values: list[tuple[str, Any]] = []
    if "maxLength" in spec:
        values.append(("too long", "9" * (spec["maxLength"] + 1)))
    if "enum" in spec:
        values.append(("not one of the enum", "nope"))
    if group == "header":  # HTTP cannot carry NUL in a header; length and enum only
        return values
    values.append(("a NUL byte", valid[:1] + "\x00" + valid[1:]))
    if group == "body":
        values += [
            ("a lone surrogate", valid[:1] + "\ud800" + valid[1:]),
            ("a number", 12345),
            ("a boolean", True),
            ("a list", [valid]),
            ("an object", {"value": valid}),
        ]
    return values


def boolean_variants(group: str) -> list[tuple[str, Any]]:
    if group == "body":
        return [("a string", "true"), ("a number", 1), ("a list", [True])]
    return [("a word", "maybe")]


def hostile_requests(ep: dict) -> list[tuple[str, str | None, dict]]:
    """(label, the field named in the problem or None, httpx request arguments)."""
    requests = []
    for group in ("path", "query", "header", "body"):
        for name, spec in fields(ep, group).items():
            valid = str(example(spec))
            variants = {
                "integer": lambda g=group, s=spec: integer_variants(g, s),
                "string": lambda g=group, s=spec, v=valid: string_variants(g, s, v),
                "boolean": lambda g=group: boolean_variants(g),
            }[spec["type"]]()
            for label, value in variants:
                call = valid_call(ep, optional=True)
                if group == "path":
                    call = valid_call(ep, {name: value}, optional=True)
                elif group == "query":
                    call.query[name] = value
                elif group == "header":
                    call.headers[spec.get("alias", name)] = value
                else:
                    call.body[name] = value
                # A header is named as the client sends it (Idempotency-Key).
                named = spec.get("alias", name) if group == "header" else name
                requests.append((f"{group}.{name}: {label}", named, as_request(call)))
    if fields(ep, "body"):
        call = valid_call(ep, optional=True)
        call.body["is_staff"] = True
        requests.append(("an unknown body field", "is_staff", as_request(call)))
        for label, content in (("a JSON array", b"[]"), ("not JSON", b"{'a': 1")):
            requests.append((label, "body", as_request(call, content)))
    call = valid_call(ep, optional=True)
    requests.append(("a 70 KB body", None, as_request(call, b'{"x": "' + b"9" * 70_000 + b'"}')))
    return requests


def as_request(call, content: bytes | None = None) -> dict:
    """httpx arguments; the JSON is encoded here (ASCII escapes), so a lone surrogate travels
    as the \\ud800 escape a hostile client would send."""
    headers = dict(call.headers)
    if content is None and call.body is not None:
        content = json.dumps(call.body).encode()
    if content is not None:
        headers["Content-Type"] = "application/json"
    return {
        "method": call.method,
        "url": call.path,
        "params": call.query,
        "headers": headers,
        "content": content,
    }


@pytest.mark.parametrize("ep", ENDPOINTS, ids=endpoint_id)
def test_hostile_input_is_a_clear_4xx_and_changes_nothing(client, db, token, ep):
    auth = {"Authorization": f"Bearer {token}"} if ep["auth"] != "none" else {}
    before = store_fingerprint(db)

    for label, field, request in hostile_requests(ep):
        request["headers"] |= auth
        response = client.request(**request)
        TALLY.count(response.status_code)
        assert response.status_code in (400, 413, 422), (label, response.text)
        problem = assert_problem(
            response,
            response.status_code,
            {400: response.json().get("code"), 413: "body_too_large", 422: "validation_error"}[
                response.status_code
            ],
        )
        if response.status_code == 422 and field is not None:
            assert field in [error["field"] for error in problem["errors"]], (label, problem)

    assert store_fingerprint(db) == before, "a refused request changed the store"
