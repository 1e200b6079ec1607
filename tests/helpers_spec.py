"""api_spec.yaml as test data: its endpoints, and a valid request for any of them built from
the examples and bounds the spec declares, so the tests that walk every route (hostile input,
authorization, tokens) cover a new route the day it is added to the spec."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import psycopg
import yaml

from tests.conftest import ROOT

SPEC = yaml.safe_load((ROOT / "api_spec.yaml").read_text())
ENDPOINTS: list[dict] = SPEC["endpoints"]
GROUPS = {"path": "path_params", "query": "query", "body": "body", "header": "headers"}


def endpoint_id(ep: dict) -> str:
    return ep["operation"]


def fields(ep: dict, group: str) -> dict[str, dict]:
    return ep.get(GROUPS[group]) or {}


def example(spec: dict) -> Any:
    """A value the spec accepts for the field: its example, else its default, else the least
    value its type and bounds allow."""
    if "example" in spec:
        return spec["example"]
    if "default" in spec:
        return spec["default"]
    if "enum" in spec:
        return spec["enum"][0]
    return {"integer": max(spec.get("minimum", 1), 1), "boolean": False}.get(spec["type"], "x")


def is_required(group: str, spec: dict) -> bool:
    if group == "path":
        return True
    return spec.get("required", group == "body")


@dataclass
class Call:
    """One request: method, path under /api/v1, query, JSON body (None: no body), headers."""

    method: str
    path: str
    query: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def send(self, client, **extra_headers: str):
        kwargs: dict[str, Any] = {
            "params": self.query,
            "headers": {**self.headers, **extra_headers},
        }
        if self.body is not None:
            kwargs["json"] = self.body
        return client.request(self.method, self.path, **kwargs)


def valid_call(ep: dict, values: dict[str, Any] | None = None, *, optional: bool = False) -> Call:
    """A request the route's validation accepts: every required input (and with `optional`,
    every input) from `values` by name, else the spec's example."""
    values = values or {}

    def pick(group: str) -> dict[str, Any]:
        return {
            name: values.get(name, example(spec))
            for name, spec in fields(ep, group).items()
            if optional or is_required(group, spec) or name in values
        }

    path = ep["path"]
    for name, value in pick("path").items():
        # Percent-encoded, as a client sends a string path parameter (a NUL byte as %00).
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    headers = {
        fields(ep, "header")[name].get("alias", name): str(value)
        for name, value in pick("header").items()
    }
    body = pick("body") if fields(ep, "body") else None
    return Call(ep["method"], path, pick("query"), body, headers)


# What the worker changes on its own while a test runs (tests/conftest.py starts one): which
# events exist is the store's; whether they are published yet, and what the consumers have
# handled, is the worker's.
WORKER_STATE = {"outbox_events": "(t.id, t.topic)", "processed_messages": None}


def store_fingerprint(db: psycopg.Connection) -> dict[str, tuple[int, str]]:
    """Every table of schema store: its row count and a digest of all its rows (of the events,
    their ids and topics; the consumers' records left out)."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'store' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
    ]
    return {
        table: db.execute(
            f"SELECT count(*), md5(coalesce(string_agg({row}::text, E'\\n' ORDER BY {row}::text),"
            f" '')) FROM store.{table} AS t"
        ).fetchone()
        for table in tables
        if (row := WORKER_STATE.get(table, "t")) is not None
    }
