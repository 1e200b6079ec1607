"""`python -m codegen`: check api_spec.yaml against the database and write generated/.

Reads the real signatures of the procedures (schema api) from DATABASE_URL, so run `make db`
first (`make codegen` does). Exits 1 with every problem listed when the spec names a procedure,
argument or type the database does not have. Writes models.py, routes.py and calls.py from
templates/, then openapi.json: FastAPI's own document of the app those files make, pinned so
that any change to the API shows up as a diff. `--check` writes nothing and exits 1 when
generated/ differs from what would be written (the drift check of `make test`).
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import psycopg

from codegen.raises import raised_problems
from codegen.spec import (
    CACHE_SCOPES,
    CALL_LISTS,
    FIELD_GROUPS,
    HOOK_CODES,
    RUNTIME_CODES,
    Signature,
    SpecError,
    automatic_statuses,
    check_against_database,
    integer_range,
    load,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Dates travel as text and PostgreSQL parses them (an impossible date is a 22008: 422).
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# PostgreSQL text cannot hold NUL: a string field without a pattern of its own gets this one
# (the spec's own patterns exclude NUL: tests/test_codegen.py).
NO_NUL_PATTERN = "^[^\\u0000]*$"
PYTHON_FILES = ("models.py", "routes.py", "calls.py")
SIGNATURES_SQL = """
SELECT n.nspname || '.' || p.proname,
       coalesce(p.proargnames[1:p.pronargs], '{}'),
       array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) AS t),
       p.pronargdefaults,
       format_type(p.prorettype, NULL),
       p.prosrc,
       count(*) OVER (PARTITION BY p.pronamespace, p.proname)
FROM pg_proc AS p
JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname IN ('api', 'internal')
"""


def read_signatures(database_url: str) -> dict[str, Signature]:
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        rows = conn.execute(SIGNATURES_SQL).fetchall()
    return {
        name: Signature(name, tuple(arg_names), tuple(arg_types), defaults, returns, source)
        for name, arg_names, arg_types, defaults, returns, source, overloads in rows
        if overloads == 1  # an overloaded name is reported as missing: calls would be ambiguous
    }


# The query parameter that carries the token's session id to the authenticate function.
SESSION_PARAMETER = "session_id"


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def sql_call(
    procedure: str,
    args: list[str],
    sql_type: dict[str, str],
    authenticated: dict[str, str] | None = None,
) -> list[str]:
    """`SELECT api.x(p_a => %(p_a)s::type, ...)` as string lines, an argument a line. The
    arguments in `authenticated` (argument -> the spec's authenticate function) take the
    token's user through that function: `p_user_id => api.authenticate(%(p_user_id)s::bigint,
    %(session_id)s::bigint)`, checked in the same statement."""
    authenticated = authenticated or {}

    def value(arg: str) -> str:
        placeholder = f"%({arg})s::{sql_type[arg]}"
        if arg in authenticated:
            return f"{authenticated[arg]}({placeholder}, %({SESSION_PARAMETER})s::bigint)"
        return placeholder

    placeholders = [f"{arg} => {value(arg)}" for arg in args]
    lines = [f"SELECT {procedure}("]
    lines += [f"{p}, " for p in placeholders[:-1]] + placeholders[-1:] + [")"]
    return ["".join(lines)] if len(args) <= 1 else lines


class Enums:
    """One StrEnum class per set of values a request field takes, named after the field
    (Gender), or after the operation too where fields of one name take different values
    (ListProductsGender, CreateChildGender). Named classes become one schema each in the
    document, so a generated client gets one enum class each, nullable or not."""

    def __init__(self, spec: dict[str, Any]):
        value_sets: dict[str, set[tuple[str, ...]]] = {}
        for _, name, field in request_fields(spec):
            if "enum" in field:
                value_sets.setdefault(name, set()).add(tuple(field["enum"]))
        class_names: dict[tuple[str, tuple[str, ...]], str] = {}
        self.members: dict[str, tuple[str, ...]] = {}
        self.by_field: dict[tuple[str, str], str] = {}
        for ep, name, field in request_fields(spec):
            if "enum" not in field:
                continue
            values = tuple(field["enum"])
            if (name, values) not in class_names:
                shared = len(value_sets[name]) == 1
                class_name = camel(name if shared else f"{ep['operation']}_{name}")
                class_names[(name, values)] = class_name
                self.members[class_name] = values
            self.by_field[(ep["operation"], name)] = class_names[(name, values)]

    def views(self) -> list[dict[str, Any]]:
        return [
            {"name": name, "members": [(member_name(value), value) for value in values]}
            for name, values in self.members.items()
        ]


def member_name(value: str) -> str:
    """An enum member's Python name: Tamil Nadu -> TAMIL_NADU."""
    return re.sub(r"\W+", "_", value).upper()


def request_fields(spec: dict[str, Any]):
    for ep in spec["endpoints"]:
        for key in FIELD_GROUPS.values():
            for name, field in (ep.get(key) or {}).items():
                yield ep, name, field


def render(spec: dict[str, Any], signatures: dict[str, Signature]) -> dict[str, str]:
    """The Python files of generated/ (openapi.json is FastAPI's: write_openapi)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["pyrepr"] = repr
    env.filters["combine"] = lambda *dicts: {k: v for d in dicts for k, v in d.items()}
    enums = Enums(spec)
    raised = raised_problems({name: sig.source for name, sig in signatures.items()})
    views = [
        endpoint_view(ep, signatures[ep["procedure"]], enums, raised, spec["authenticate"])
        for ep in spec["endpoints"]
    ]
    calls = [
        call_view(call, signatures[call["procedure"]])
        for key in CALL_LISTS
        for call in spec.get(key) or []
    ]
    context = {
        "literal_claims": literal_claims(spec["endpoints"]),
        "info": spec["info"],
        "endpoints": views,
        "enums": enums.views(),
        "schemas": spec.get("schemas", {}),
        "calls": calls,
    }
    files = {"__init__.py": '"""Generated by codegen from api_spec.yaml. DO NOT EDIT."""\n'}
    for name in PYTHON_FILES:
        files[name] = format_python(env.get_template(f"{name}.j2").render(**context), name)
    return files


def literal_claims(endpoints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Literal paths that a templated path matches too, with the methods only the templated
    one answers: Starlette takes a route matching path and method before one matching the
    path alone, so GET /payments/initiate (POST only) would be GET /payments/{order_id} with
    the id "initiate". The routes claim those methods first, to answer 405."""
    methods: dict[str, set[str]] = {}
    for ep in endpoints:
        methods.setdefault(ep["path"], set()).add(ep["method"])
    claims = []
    for literal in (path for path in methods if "{" not in path):
        taken = {}
        for template in (path for path in methods if "{" in path):
            if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), literal):
                taken |= {m: template for m in methods[template] - methods[literal]}
        if taken:
            by = sorted(set(taken.values()))
            claims.append({"path": literal, "methods": sorted(taken), "by": by})
    return claims


def field_view(
    ep: dict[str, Any],
    group: str,
    name: str,
    field: dict[str, Any],
    sql_type: str,
    enums: Enums,
) -> dict[str, Any]:
    """One request field as Python: its type and its pydantic/FastAPI keyword arguments."""
    required = (
        group == "path"
        or (group == "body" and field.get("required", True))
        or (group != "body" and field.get("required", False))
    )
    strict = group == "body"  # JSON carries types: "2" is not an integer there, nor 1 a bool
    constraints: dict[str, Any] = {}
    if "enum" in field:
        base = enums.by_field[(ep["operation"], name)]
    elif field["type"] == "integer":  # bounded by the SQL type, so no value overflows it
        base = "int"
        if strict:  # a JSON integer (or 2.0: whole_number in models.py.j2), never "2" or true
            constraints["strict"] = True
        low, high = integer_range(sql_type)
        constraints["ge"] = low if field.get("minimum") is None else max(low, field["minimum"])
        constraints["le"] = high if field.get("maximum") is None else min(high, field["maximum"])
    elif field["type"] == "boolean":
        base = "StrictBool" if strict else "bool"
    else:
        base = "StrictStr" if strict else "str"
        for key, option in (("minLength", "min_length"), ("maxLength", "max_length")):
            if key in field:
                constraints[option] = field[key]
        pattern = field.get("pattern") or (DATE_PATTERN if field.get("format") == "date" else None)
        constraints["pattern"] = pattern or NO_NUL_PATTERN
    documentation: dict[str, Any] = {}
    if "description" in field:
        documentation["description"] = field["description"]
    if "example" in field:
        documentation["examples"] = [field["example"]]
    default = field.get("default")
    if default is not None and "enum" in field:
        default_code = f"{base}.{member_name(str(default))}"
    else:
        default_code = repr(default)
    return {
        "name": name,
        "alias": field.get("alias"),
        "base": base,
        "constraints": constraints,
        "documentation": documentation,
        "required": required,
        "default": None if required else default_code,
        "optional": not required and default is None,
    }


def endpoint_view(
    ep: dict[str, Any],
    signature: Signature,
    enums: Enums,
    raised: dict[str, dict[int, Any]],
    authenticate: str,
) -> dict[str, Any]:
    """What the templates need to know about one endpoint."""
    args = ep["args"] or {}
    authenticated = {arg: authenticate for arg, source in args.items() if source == "user.id"}
    sql_type = dict(zip(signature.arg_names, signature.arg_types, strict=True))
    source_of = {source: arg for arg, source in args.items()}
    groups = {
        group: [
            field_view(ep, group, name, field, sql_type[source_of[f"{group}.{name}"]], enums)
            for name, field in (ep.get(key) or {}).items()
        ]
        for group, key in FIELD_GROUPS.items()
    }
    model = camel(ep["operation"])
    body_required = any(f["required"] for f in groups["body"])

    def expression(source: str) -> str:
        group, _, name = source.partition(".")
        return {
            "user": "caller.user_id" if name == "id" else "caller.session_id",
            "client": "client_ip(request)",
            "request": "await raw_body(request)",
            "settings": f"request.app.state.settings.{name}",
            "body": f"body.{name}",
            "query": f"query.{name}",
        }.get(group, name)

    checked = raised[authenticate] if authenticated else {}
    codes = problem_codes(ep, raised[ep["procedure"]], checked)
    openapi_extra: dict[str, Any] = {}
    if "request_body" in ep:  # read raw (signatures), documented as the JSON it carries
        openapi_extra["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{ep['request_body']}"}
                }
            },
        }
    return {
        **ep,
        "description": ep.get("description"),
        "after": ep.get("after"),
        "dependencies": [f"hooks.{hook}" for hook in [ep.get("before")] if hook]
        + (["limit_writes"] if ep.get("rate_limit") else []),
        "cache": ep.get("cache"),
        "html": ep.get("html"),
        "replica": ep.get("replica", False),
        "cache_product_arg": CACHE_SCOPES.get(ep.get("cache", "")),
        "writes": ep["method"] != "GET",
        "groups": groups,
        "body_model": f"{model}Body" if groups["body"] else None,
        "body_required": body_required,
        "query_model": f"{model}Query" if groups["query"] else None,
        "call_args": [{"name": arg, "expr": expression(src)} for arg, src in args.items()]
        + ([{"name": SESSION_PARAMETER, "expr": "caller.session_id"}] if authenticated else []),
        "sql_lines": sql_call(ep["procedure"], list(args), sql_type, authenticated),
        "response": ep.get("response"),
        "problems": codes,
        "openapi_extra": openapi_extra or None,
    }


def problem_codes(
    ep: dict[str, Any], raised: dict[int, Any], authenticated: dict[int, Any]
) -> dict[int, list[str]]:
    """Every error status the route can answer, with the problem codes it answers it with:
    the procedure's and the authenticate function's (codegen.raises), the runtime's and its
    hooks' (spec.RUNTIME_CODES, spec.HOOK_CODES)."""
    statuses = set(ep.get("errors", [])) | automatic_statuses(ep)
    codes: dict[int, set[str]] = {status: set() for status in statuses}
    for source in (raised, authenticated):
        for status, problem in source.items():
            if status in codes:
                codes[status] |= problem.codes
    for status in automatic_statuses(ep) & RUNTIME_CODES.keys():
        codes[status].add(RUNTIME_CODES[status])
    for hook in filter(None, (ep.get("before"), ep.get("after"))):
        for status, code in HOOK_CODES.get(hook, {}).items():
            codes[status].add(code)
    return {status: sorted(codes[status]) for status in sorted(codes)}


def call_view(call: dict[str, Any], signature: Signature) -> dict[str, Any]:
    sql_type = dict(zip(signature.arg_names, signature.arg_types, strict=True))
    python_type = {
        "bigint": "int",
        "integer": "int",
        "smallint": "int",
        "text": "str",
        "bigint[]": "list[int]",
    }
    return {
        "name": call["procedure"].removeprefix("api."),
        "procedure": call["procedure"],
        "args": [(arg, python_type.get(sql_type[arg], "str")) for arg in call["args"]],
        "sql_lines": sql_call(call["procedure"], call["args"], sql_type),
    }


def format_python(source: str, filename: str) -> str:
    """ruff: drop unused imports and sort them, then format (deterministic for equal input)."""
    ruff = [sys.executable, "-m", "ruff"]
    for command in (["check", "--fix", "--select", "F401,I", "--exit-zero", "--quiet"], ["format"]):
        done = subprocess.run(
            [*ruff, *command, "--stdin-filename", f"generated/{filename}", "-"],
            input=source,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if done.returncode != 0:  # a template rendered invalid Python
            raise RuntimeError(f"ruff {command[0]} failed on generated/{filename}:\n{done.stderr}")
        source = done.stdout
    return source


def openapi_json() -> str:
    """FastAPI's document of the app as generated/ now makes it, in a fresh interpreter (so
    that it imports the files just written)."""
    done = subprocess.run(
        [sys.executable, "-c", "from app.main import openapi_text; print(openapi_text(), end='')"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the app did not build its OpenAPI document:\n{done.stderr}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    from app.settings import Settings
    from codegen import schema_docs

    parser = argparse.ArgumentParser(description="Generate generated/ from api_spec.yaml")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL")
    parser.add_argument("--spec", type=Path, default=ROOT / "api_spec.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "generated")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail if --out differs from the generated code",
    )
    args = parser.parse_args(argv)
    database_url = args.database_url or Settings.from_env().database_url
    try:
        spec = load(args.spec)
        signatures = read_signatures(database_url)
        problems = check_against_database(spec, signatures)
        if problems:
            raise SpecError(problems)
    except SpecError as exc:
        print(f"codegen: {args.spec.name} has problems; nothing was written:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1

    files = render(spec, signatures)
    # docs/schema.md (codegen.schema_docs) goes with the real generated/ only, like openapi.json.
    real_out = args.out.resolve() == (ROOT / "generated").resolve()
    docs = {Path(schema_docs.PATH).name: schema_docs.schema_md(database_url)} if real_out else {}
    docs_dir = ROOT / Path(schema_docs.PATH).parent
    if args.check:
        stale = check_drift(files, args.out)
        if not stale and real_out:
            # The Python is current, so the app's document is what codegen would write.
            stale = check_drift({"openapi.json": openapi_json()}, args.out, only_these=True)
        if docs:
            stale += check_drift(docs, docs_dir, only_these=True)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text)
    if real_out:
        (args.out / "openapi.json").write_text(openapi_json())
    for name, text in docs.items():
        docs_dir.mkdir(parents=True, exist_ok=True)
        (docs_dir / name).write_text(text)
    print(
        f"codegen: wrote generated/ ({len(spec['endpoints'])} endpoints, "
        f"{sum(len(spec.get(key) or []) for key in CALL_LISTS)} other calls)"
        + (f" and {schema_docs.PATH}" if docs else "")
    )
    return 0


def check_drift(files: dict[str, str], out: Path, only_these: bool = False) -> list[str]:
    """Names of the files that differ from `files` (with a diff on stdout)."""
    stale = []
    for name, text in files.items():
        current = (out / name).read_text() if (out / name).exists() else ""
        if current != text:
            stale.append(name)
            sys.stdout.writelines(
                difflib.unified_diff(
                    current.splitlines(True),
                    text.splitlines(True),
                    f"{out.name}/{name} (committed)",
                    f"{out.name}/{name} (generated)",
                )
            )
    known = set(files) | {"openapi.json"}
    extra = (
        []
        if only_these
        else sorted(p.name for p in out.iterdir() if p.is_file() and p.name not in known)
    )
    if stale or extra:
        print(
            f"codegen: {out.name}/ is out of date ({', '.join(stale + extra)}); "
            "run make codegen and commit the result",
            file=sys.stderr,
        )
    else:
        print(f"codegen: {out.name}/ is up to date ({', '.join(files)})")
    return stale + extra
