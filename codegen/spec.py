"""api_spec.yaml: loading and checking it against itself and against the database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from codegen.raises import raised_statuses

ENDPOINT_KEYS = {
    "operation",
    "method",
    "path",
    "tag",
    "summary",
    "description",
    "auth",
    "path_params",
    "query",
    "body",
    "headers",
    "procedure",
    "args",
    "status",
    "response",
    "errors",
    "before",
    "after",
    "request_body",  # a schema documenting a body read raw (request.raw_body): the webhook
    "replica",  # true: a read that may come from the read replica (app.replica)
    "cache",  # catalog | product: a public catalog read, cached (app.cache)
    "rate_limit",  # writes: counted against the caller's write limit (app.ratelimit)
    "html",  # a template of app/templates: the answer as a page when text/html is preferred
}
REQUIRED_ENDPOINT_KEYS = {
    "operation",
    "method",
    "path",
    "tag",
    "summary",
    "auth",
    "procedure",
    "args",
    "status",
}
FIELD_KEYS = {
    "type",
    "description",
    "example",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "required",
    "format",  # "date": a YYYY-MM-DD string that feeds a date argument
    "alias",  # headers: the HTTP header name, e.g. Idempotency-Key
}
FIELD_TYPES = {"string", "integer", "boolean"}
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
# none: public; user: a valid bearer token is required; optional: public, but a token, when
# sent, must be valid and its user is passed (NULL otherwise).
AUTH_MODES = ("none", "user", "optional")
# Sources that are not request fields, with the SQL type the procedure argument must have.
FIXED_SOURCES = {
    # The token's user, checked by the spec's `authenticate` function in the same call (its
    # session live, its account active); NULL without a token on `auth: optional`.
    "user.id": "bigint",
    "user.session": "bigint",  # the token's session id (claim sid)
    "client.ip": "inet",
    "request.raw_body": "text",  # the body exactly as received (webhook signatures)
    "settings.otp_key": "bytea",
    "settings.refresh_token_key": "bytea",
    "settings.razorpay_key_id": "text",
    "settings.razorpay_key_secret": "text",
    "settings.razorpay_webhook_secret": "text",
    "settings.payment_gateway": "text",
}
# Where each request-field group is declared in an endpoint.
FIELD_GROUPS = {"path": "path_params", "query": "query", "body": "body", "header": "headers"}
# SQL argument types each field type may feed, with the integer range of the SQL type.
SQL_TYPES_FOR_FIELD = {
    "string": {"text": None, "character varying": None},
    "integer": {
        "smallint": (-32768, 32767),
        "integer": (-2147483648, 2147483647),
        "bigint": (-9223372036854775808, 9223372036854775807),
    },
    "boolean": {"boolean": None},
}
# The problem code of each status the runtime answers by itself (automatic_statuses).
RUNTIME_CODES = {
    400: "bad_request",
    401: "unauthorized",
    413: "body_too_large",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}
# The problems each hook of app/hooks.py can answer besides those of the procedures it calls.
HOOK_CODES = {
    "limit_otp_per_ip": {429: "rate_limited"},
    "create_gateway_order": {502: "payment_gateway_error"},
}
# cache: what invalidates a cached answer (app.cache): any change to the catalog, or also a
# change to the one product its p_product_id argument names (its stock, its pictures).
CACHE_SCOPES = {"catalog": None, "product": "p_product_id"}
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
# html: <name> renders app/templates/<name>.html (app.html).
HTML_TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"
# The procedures called from Python outside an endpoint, each {procedure, args}: hook_calls by
# app/hooks.py as the web tier, worker_calls by the worker (app/worker.py) and the scheduler.
CALL_LISTS = ("hook_calls", "worker_calls")
PROCEDURE_NAME = re.compile(r"^api\.[a-z][a-z0-9_]*$")
# The database roles that log in to call `api` functions (db/roles.sql); make db grants each
# EXECUTE on exactly the functions granted_procedures gives it.
API_ROLE = "jiokidz_api"
WORKER_ROLE = "jiokidz_worker"


class SpecError(Exception):
    """api_spec.yaml is inconsistent, or disagrees with the database."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Signature:
    """A procedure as PostgreSQL has it: argument names and types, how many have defaults, and
    its body (for the statuses it can answer: codegen.raises)."""

    name: str
    arg_names: tuple[str, ...]
    arg_types: tuple[str, ...]
    defaults: int
    returns: str
    source: str = ""

    @property
    def required_args(self) -> tuple[str, ...]:
        return self.arg_names[: len(self.arg_names) - self.defaults]


def load(path: Path) -> dict[str, Any]:
    spec = yaml.safe_load(path.read_text())
    problems = check_shape(spec)
    if problems:
        raise SpecError(problems)
    return spec


def automatic_statuses(ep: dict[str, Any]) -> set[int]:
    """The statuses the runtime itself can answer on an endpoint, which codegen documents without
    the spec listing them: 401 for a token (missing, invalid, or its user gone), 422 for any
    input (FastAPI's validation, and data errors such as an impossible date), 413 for a body
    over 64 KiB (app.middleware, on every route), 429 for a caller over the write limit
    (`rate_limit: writes`, app.ratelimit), 400 for a body that is not UTF-8 text
    (FastAPI's answer for a JSON body it cannot decode; app.procedures for a body read raw),
    500 for a bug, 503 for a database that is away, busy or too slow (app.errors). A route
    with a token also answers what the spec's `authenticate` function raises: 401 for a
    session that has ended, 403 for a deactivated account."""
    takes_input = any(ep.get(group) for group in FIELD_GROUPS.values())
    raw_body = "request.raw_body" in (ep.get("args") or {}).values()
    return (
        {413, 500, 503}
        | ({400} if raw_body or ep.get("body") else set())
        | ({401, 403} if ep["auth"] != "none" else set())
        | ({422} if takes_input else set())
        | ({429} if ep.get("rate_limit") else set())
    )


def check_shape(spec: dict[str, Any]) -> list[str]:
    """Problems visible in the spec alone: unknown keys, missing keys, dangling references."""
    problems: list[str] = []
    if missing := {"title", "version", "description", "base_path"} - set(spec.get("info", {})):
        problems.append(f"info: missing keys {sorted(missing)}")
    schemas = spec.get("schemas", {})
    seen: set[str] = set()
    for index, ep in enumerate(spec.get("endpoints", [])):
        where = f"endpoint {ep.get('operation', f'#{index + 1}')}"
        if unknown := set(ep) - ENDPOINT_KEYS:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if missing := REQUIRED_ENDPOINT_KEYS - set(ep):
            problems.append(f"{where}: missing keys {sorted(missing)}")
            continue
        if not IDENTIFIER.match(ep["operation"]) or ep["operation"] in seen:
            problems.append(f"{where}: operation must be a unique snake_case name")
        seen.add(ep["operation"])
        if ep["method"] not in METHODS:
            problems.append(f"{where}: method must be one of {sorted(METHODS)}")
        if ep["auth"] not in AUTH_MODES:
            problems.append(f"{where}: auth must be one of {', '.join(AUTH_MODES)}")
        if "request_body" in ep and ep["request_body"] not in schemas:
            problems.append(f"{where}: request_body {ep['request_body']!r} is not in schemas")
        if ep["status"] == 204:
            if "response" in ep:
                problems.append(f"{where}: a 204 answer has no body, so no response schema")
        elif ep.get("response") not in schemas:
            problems.append(f"{where}: response schema {ep.get('response')!r} is not in schemas")
        placeholders = set(re.findall(r"{(\w+)}", ep["path"]))
        if placeholders != set(ep.get("path_params", {})):
            problems.append(
                f"{where}: path parameters {sorted(placeholders)} must be declared "
                "in path_params, and only those"
            )
        for group in FIELD_GROUPS.values():
            for name, field in (ep.get(group) or {}).items():
                if unknown := set(field) - FIELD_KEYS:
                    problems.append(f"{where}: {group}.{name}: unknown keys {sorted(unknown)}")
                if field.get("type") not in FIELD_TYPES:
                    problems.append(
                        f"{where}: {group}.{name}: type must be one of {sorted(FIELD_TYPES)}"
                    )
                if field.get("type") == "string" and not ({"maxLength", "enum"} & set(field)):
                    problems.append(f"{where}: {group}.{name}: a string needs maxLength or enum")
        used = set()
        for arg, source in (ep["args"] or {}).items():
            group, _, name = str(source).partition(".")
            group_key = FIELD_GROUPS.get(group)
            if source in FIXED_SOURCES:
                continue
            if group_key is None or name not in (ep.get(group_key) or {}):
                problems.append(
                    f"{where}: argument {arg} comes from {source!r}, which the "
                    "endpoint does not declare"
                )
            used.add((group_key, name))
        for group in FIELD_GROUPS.values():
            for name in ep.get(group) or {}:
                if (group, name) not in used:
                    problems.append(
                        f"{where}: {group}.{name} is declared but passed to no argument"
                    )
        takes_user = "user.id" in (ep["args"] or {}).values()
        if takes_user != (ep["auth"] in ("user", "optional")):
            problems.append(
                f"{where}: an argument takes user.id exactly when auth is user or optional"
            )
        if "user.session" in (ep["args"] or {}).values() and ep["auth"] != "user":
            problems.append(f"{where}: only auth: user has a session to pass (user.session)")
        problems += check_routing(ep, where)
    for key in CALL_LISTS:
        for index, call in enumerate(spec.get(key) or []):
            if set(call) != {"procedure", "args"} or not isinstance(call.get("args"), list):
                problems.append(f"{key}[{index}]: needs exactly procedure and a list of args")
    named = [spec.get("authenticate")]
    named += [ep.get("procedure") for ep in spec.get("endpoints", [])]
    named += [call.get("procedure") for key in CALL_LISTS for call in spec.get(key) or []]
    problems += [
        f"procedure {name!r}: must be api.<snake_case name>"
        for name in named
        if not PROCEDURE_NAME.match(str(name))
    ]
    return problems


def check_routing(ep: dict[str, Any], where: str) -> list[str]:
    """The keys that say where a route reads from, what limits it and how it answers: `replica`
    and `cache` only on reads (GET) that go to no hook, `cache` only on public ones,
    `rate_limit` only on writes with a user to count against, `html` only on uncached reads
    without hooks, naming a template that exists."""
    problems = []
    read = ep["method"] == "GET" and not (ep.get("before") or ep.get("after"))
    if ep.get("replica") not in (None, True):
        problems.append(f"{where}: replica is true or left out")
    if ep.get("replica") and not read:
        problems.append(f"{where}: only a GET without hooks may read from the replica")
    if "cache" in ep:
        if ep["cache"] not in CACHE_SCOPES:
            problems.append(f"{where}: cache must be one of {', '.join(CACHE_SCOPES)}")
        elif not (read and ep.get("replica") and ep["auth"] != "user"):
            problems.append(
                f"{where}: cache needs a public GET (auth none or optional) marked replica"
            )
        elif (arg := CACHE_SCOPES[ep["cache"]]) and arg not in (ep["args"] or {}):
            problems.append(f"{where}: cache: {ep['cache']} needs the argument {arg}")
    if ep.get("rate_limit") not in (None, "writes"):
        problems.append(f"{where}: rate_limit must be writes")
    if ep.get("rate_limit") and (ep["method"] == "GET" or ep["auth"] != "user"):
        problems.append(f"{where}: rate_limit: writes needs a write with auth: user")
    if "html" in ep:
        name = str(ep["html"])
        if not (IDENTIFIER.match(name) and (HTML_TEMPLATES / f"{name}.html").is_file()):
            problems.append(f"{where}: html names no template app/templates/<name>.html")
        if not read or "cache" in ep or ep["status"] == 204:
            problems.append(f"{where}: html needs a GET with a body, without hooks or cache")
    return problems


def granted_procedures(spec: dict[str, Any]) -> dict[str, set[str]]:
    """Which `api` functions each login role may execute: the web tier those of the endpoints
    and hook calls, the worker its own (worker_calls: the sweeper, the relay, the consumers)."""
    api = {spec["authenticate"]} | {ep["procedure"] for ep in spec["endpoints"]}
    api |= {call["procedure"] for call in spec.get("hook_calls") or []}
    worker = {call["procedure"] for call in spec.get("worker_calls") or []}
    return {API_ROLE: api, WORKER_ROLE: worker}


def check_against_database(spec: dict[str, Any], signatures: dict[str, Signature]) -> list[str]:
    """Problems between the spec and the procedures the database really has: names, arguments,
    types, and every status a procedure can answer (codegen.raises) that the endpoint's
    `errors` do not list (and the runtime does not add: automatic_statuses)."""
    problems: list[str] = []
    raised = raised_statuses({name: sig.source for name, sig in signatures.items()})
    authenticate = signatures.get(spec["authenticate"])
    if authenticate is None or (authenticate.arg_types, authenticate.returns) != (
        ("bigint", "bigint"),
        "bigint",
    ):
        problems.append(
            f"authenticate: {spec['authenticate']} must exist and be (user bigint, session "
            "bigint) -> bigint"
        )
    listed = [
        (f"{key}[{index}]", call)
        for key in CALL_LISTS
        for index, call in enumerate(spec.get(key) or [])
    ]
    for place, call in listed:
        where = f"{place} ({call['procedure']})"
        signature = signatures.get(call["procedure"])
        if signature is None:
            problems.append(f"{where}: no such procedure in the database (or overloaded)")
            continue
        if signature.returns != "jsonb":
            problems.append(f"{where}: must return jsonb (the call hands back its bytes)")
        for arg in call["args"]:
            if arg not in signature.arg_names:
                problems.append(f"{where}: no argument {arg}")
        for arg in signature.required_args:
            if arg not in call["args"]:
                problems.append(f"{where}: argument {arg} has no default and is not passed")
    for ep in spec["endpoints"]:
        where = f"endpoint {ep['operation']} ({ep['method']} {ep['path']})"
        signature = signatures.get(ep["procedure"])
        if signature is None:
            problems.append(
                f"{where}: procedure {ep['procedure']} does not exist in the "
                "database (or is overloaded); run make db"
            )
            continue
        if signature.returns != "jsonb":
            problems.append(f"{where}: {ep['procedure']} returns {signature.returns}, not jsonb")
        documented = set(ep.get("errors", [])) | automatic_statuses(ep)
        for status, origin in sorted(raised[ep["procedure"]].items()):
            if status not in documented:
                via = "" if origin == ep["procedure"] else f" (raised in {origin})"
                problems.append(
                    f"{where}: {ep['procedure']} can answer {status}{via}; list it in errors"
                )
        hooks = [HOOK_CODES.get(h, {}) for h in (ep.get("before"), ep.get("after")) if h]
        for status in sorted(set(ep.get("errors", [])) - automatic_statuses(ep)):
            if status not in raised[ep["procedure"]] and not any(status in h for h in hooks):
                problems.append(f"{where}: lists {status}, which neither it nor a hook answers")
        args = ep["args"] or {}
        for arg in args:
            if arg not in signature.arg_names:
                problems.append(
                    f"{where}: {ep['procedure']} has no argument {arg} "
                    f"(it has {', '.join(signature.arg_names) or 'none'})"
                )
        for arg in signature.required_args:
            if arg not in args:
                problems.append(
                    f"{where}: {ep['procedure']} argument {arg} has no default and "
                    "the spec passes nothing to it"
                )
        for arg, source in args.items():
            if arg not in signature.arg_names:
                continue
            sql_type = signature.arg_types[signature.arg_names.index(arg)]
            expected = _source_types(ep, source)
            if sql_type not in expected:
                problems.append(
                    f"{where}: {ep['procedure']} argument {arg} is {sql_type}, but "
                    f"{source} can only feed {', '.join(sorted(expected))}"
                )
    return problems


def field_of(ep: dict[str, Any], source: str) -> dict[str, Any] | None:
    group, _, name = source.partition(".")
    group_key = FIELD_GROUPS.get(group)
    return (ep.get(group_key) or {}).get(name) if group_key else None


def _source_types(ep: dict[str, Any], source: str) -> set[str]:
    if source in FIXED_SOURCES:
        return {FIXED_SOURCES[source]}
    field = field_of(ep, source)
    if field is None:
        return set()
    if field.get("format") == "date":
        return {"date"}
    return set(SQL_TYPES_FOR_FIELD[field["type"]])


# The largest integer a JSON number carries exactly in most clients and validators (a
# JavaScript number, jsonschema-rs): a bigint bound beyond it reads as a smaller number there.
MAX_JSON_INTEGER = 2**53 - 1


def integer_range(sql_type: str) -> tuple[int, int]:
    """An integer field's bounds: its SQL type's, within what JSON carries exactly."""
    low, high = SQL_TYPES_FOR_FIELD["integer"][sql_type]
    return max(low, -MAX_JSON_INTEGER), min(high, MAX_JSON_INTEGER)
