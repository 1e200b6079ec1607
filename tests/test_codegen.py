"""codegen: checked against the real procedures, deterministic, and generated/ is current;
the routes it writes are plain FastAPI path operations, each making one procedure call."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import yaml

from app.main import create_app
from app.settings import Settings
from codegen import schema_docs
from codegen.generate import ROOT, check_drift, read_signatures, render
from codegen.raises import raised_problems, raised_statuses
from codegen.spec import (
    Signature,
    SpecError,
    automatic_statuses,
    check_against_database,
    check_shape,
    load,
)

SPEC_PATH = ROOT / "api_spec.yaml"


@pytest.fixture(scope="module")
def signatures(db_url):
    return read_signatures(db_url)


@pytest.fixture
def spec():
    return load(SPEC_PATH)


@pytest.fixture(scope="module")
def document():
    """FastAPI's OpenAPI document of the app as generated/ makes it."""
    return create_app(Settings.from_env({})).openapi()


def endpoint(spec, operation):
    return next(ep for ep in spec["endpoints"] if ep["operation"] == operation)


def test_committed_generated_code_is_what_make_codegen_writes(db_url):
    """The drift check: CI fails when `make codegen` would change generated/."""
    done = subprocess.run(
        [sys.executable, "-m", "codegen", "--check", "--database-url", db_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_drift_is_detected_and_shown(db_url, tmp_path: Path):
    for path in (ROOT / "generated").glob("*.py"):
        (tmp_path / path.name).write_text(path.read_text())
    routes = tmp_path / "routes.py"
    routes.write_text(routes.read_text().replace("api.get_product(", "api.get_produkt("))
    done = subprocess.run(
        [sys.executable, "-m", "codegen", "--check", "--database-url", db_url, "--out", tmp_path],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "routes.py" in done.stderr and "get_produkt" in done.stdout


def test_output_is_deterministic_and_marked(spec, signatures):
    first, second = render(spec, signatures), render(copy.deepcopy(spec), signatures)
    assert first == second
    for name, text in first.items():
        assert "DO NOT EDIT" in "".join(text.splitlines()[:2]), name


def test_every_route_is_a_path_operation_making_one_call_with_named_typed_arguments(
    spec, signatures
):
    routes = render(spec, signatures)["routes.py"]
    operations = re.findall(r"@router\.(get|post|put|patch|delete)\(\n    \"([^\"]+)\"", routes)
    assert len(operations) == len(spec["endpoints"])
    assert len(re.findall(r"\nasync def \w+\(\n    request: Request,", routes)) == len(operations)
    # One call each: call_procedure, or cached_call for a cached catalog read (app.cache).
    calls = re.findall(r"await (?:call_procedure|cached_call)\(", routes)
    assert len(calls) == len(spec["endpoints"])
    assert "p_product_id => %(p_product_id)s::bigint" in routes
    assert 'operation_id="get_product"' in routes


def test_no_sql_is_written_by_hand_outside_the_spec():
    """Every procedure call the app makes is generated from api_spec.yaml: the endpoints'
    (generated/routes.py), the hooks' and the worker's (generated/calls.py)."""
    for path in (ROOT / "app").glob("*.py"):
        text = path.read_text()
        assert not re.search(r"[\"']SELECT\s+api\.", text), path.name
    calls = (ROOT / "generated" / "calls.py").read_text()
    callers = {
        "hooks.py": ["attach_gateway_order"],
        "consumers.py": ["refund_to_send", "attach_gateway_refund", "fail_gateway_refund"],
        "relay.py": ["hold_relay_lock", "next_outbox_events", "mark_outbox_published"],
        "worker.py": ["sweep", "outbox_backlog"],
    }
    for module, names in callers.items():
        for name in names:
            assert f"SELECT api.{name}(" in calls
            assert f"calls.{name}(" in (ROOT / "app" / module).read_text()


def test_a_hook_call_is_checked_against_the_signature(spec, signatures):
    spec["hook_calls"][0]["args"] = ["p_user_id", "p_typo"]
    problems = check_against_database(spec, signatures)
    assert any(
        "hook_calls[0] (api.attach_gateway_order): no argument p_typo" in p for p in problems
    )
    assert any("argument p_order_id has no default and is not passed" in p for p in problems)


def test_integer_bounds_follow_the_sql_type(spec, signatures):
    files = render(spec, signatures)
    assert "le=9007199254740991" in files["routes.py"]  # bigint product id, as JSON carries it
    assert "9223372036854775807" not in files["routes.py"] + files["models.py"]
    assert "le=2147483647" in files["models.py"]  # integer category id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda ep: ep.update(procedure="api.no_such_procedure"),
            "procedure api.no_such_procedure does not exist",
        ),
        (lambda ep: ep["args"].update(p_typo="path.product_id"), "has no argument p_typo"),
        (lambda ep: ep["args"].pop("p_product_id"), "p_product_id has no default"),
        (
            lambda ep: ep["path_params"]["product_id"].update(type="string"),
            "argument p_product_id is bigint, but path.product_id can only feed",
        ),
    ],
)
def test_mismatches_with_the_database_are_named(spec, signatures, change, message):
    change(endpoint(spec, "get_product"))
    problems = check_against_database(spec, signatures)
    assert any(message in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ep: ep.update(metod="GET"), "unknown keys ['metod']"),
        (lambda ep: ep.update(response="Nope"), "response schema 'Nope' is not in schemas"),
        (
            lambda ep: ep["args"].update(p_product_id="query.product_id"),
            "comes from 'query.product_id', which the endpoint does not declare",
        ),
        (
            lambda ep: ep["path_params"]["product_id"].update(maxLenght=3),
            "unknown keys ['maxLenght']",
        ),
        (lambda ep: ep.update(path="/products/{id}"), "path parameters ['id']"),
    ],
)
def test_inconsistent_specs_are_named(spec, change, message):
    change(endpoint(spec, "get_product"))
    problems = check_shape(spec)
    assert any(message in problem for problem in problems), problems


def test_a_declared_but_unused_field_is_reported(spec):
    endpoint(spec, "list_products")["query"]["colour"] = {"type": "string"}
    assert any("query.colour is declared but passed to no argument" in p for p in check_shape(spec))


def test_the_cli_lists_problems_and_writes_nothing(db_url, tmp_path: Path):
    bad = yaml.safe_load(SPEC_PATH.read_text())
    endpoint(bad, "get_me")["args"] = {"p_user": "user.id"}
    spec_file = tmp_path / "api_spec.yaml"
    spec_file.write_text(yaml.safe_dump(bad))
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen",
            "--spec",
            spec_file,
            "--out",
            out,
            "--database-url",
            db_url,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "api.get_me has no argument p_user" in done.stderr
    assert "p_user_id has no default" in done.stderr
    assert not out.exists()


def test_load_refuses_a_broken_spec(tmp_path: Path):
    broken = tmp_path / "api_spec.yaml"
    broken.write_text("info: {title: x}\nendpoints:\n  - operation: x\n")
    with pytest.raises(SpecError, match="missing keys"):
        load(broken)


def test_optional_auth_headers_dates_and_hooks_are_rendered(spec, signatures):
    fake = Signature(
        "api.fake",
        ("p_user_id", "p_key", "p_born", "p_body"),
        ("bigint", "text", "date", "text"),
        0,
        "jsonb",
    )
    spec["endpoints"].append(
        {
            "operation": "fake",
            "method": "POST",
            "path": "/fake",
            "tag": "t",
            "summary": "s",
            "auth": "optional",
            "procedure": "api.fake",
            "status": 201,
            "response": "User",
            "headers": {"key": {"type": "string", "alias": "Idempotency-Key", "maxLength": 64}},
            "body": {"born": {"type": "string", "format": "date", "maxLength": 10}},
            "args": {
                "p_user_id": "user.id",
                "p_key": "header.key",
                "p_born": "body.born",
                "p_body": "request.raw_body",
            },
            "before": "verify_signature",
        }
    )
    assert check_shape(spec) == []
    assert check_against_database(spec, {**signatures, "api.fake": fake}) == []
    files = render(spec, {**signatures, "api.fake": fake})
    routes, models = files["routes.py"], files["models.py"]
    assert "caller: OptionalUser," in routes
    # The token's user reaches the procedure through the authenticate function, in one call.
    assert (
        '"p_user_id => api.authenticate(%(p_user_id)s::bigint, %(session_id)s::bigint), "' in routes
    )
    assert '"session_id": caller.session_id' in routes
    assert 'Header(alias="Idempotency-Key", max_length=64, pattern=' in routes
    assert "dependencies=[Depends(hooks.verify_signature)]" in routes
    assert '"p_body": await raw_body(request)' in routes
    assert "class FakeBody(BaseModel):" in models
    assert "born: Annotated[StrictStr, Field(max_length=10, pattern=" in models
    compile(routes, "routes.py", "exec")


def test_a_date_field_cannot_feed_a_text_argument(spec, signatures):
    ep = endpoint(spec, "verify_otp")
    ep["body"]["otp"]["format"] = "date"
    assert any(
        "p_otp is text, but body.otp can only feed date" in p
        for p in check_against_database(spec, signatures)
    )


# --- the statuses each route documents ------------------------------------------------------


def documented_errors(document: dict, ep: dict) -> set[int]:
    operation = document["paths"]["/api/v1" + ep["path"]][ep["method"].lower()]
    return {int(status) for status in operation["responses"] if int(status) >= 400}


def test_every_route_documents_the_runtimes_statuses_and_the_declared_ones(spec, document):
    for ep in spec["endpoints"]:
        documented = documented_errors(document, ep)
        assert documented == set(ep.get("errors", [])) | automatic_statuses(ep), ep["operation"]
        assert {413, 500, 503} <= documented, ep["operation"]
        assert (401 in documented) == (ep["auth"] != "none" or 401 in ep.get("errors", []))
        inputs = any(ep.get(group) for group in ("path_params", "query", "body", "headers"))
        assert (422 in documented) == (inputs or 422 in ep.get("errors", [])), ep["operation"]
        if ep.get("path_params") and ep["operation"] != "remove_from_wishlist":
            assert 404 in documented, ep["operation"]  # an id that may name nothing (or not yours)
        if any(h.get("alias") == "Idempotency-Key" for h in (ep.get("headers") or {}).values()):
            assert 409 in documented, ep["operation"]  # idempotency_key_in_use


def test_every_status_a_procedure_can_raise_is_documented(spec, signatures, document):
    """The committed spec passes the check that make codegen runs: nothing a procedure (or a
    function it calls) can raise is missing from its route's documented statuses, and each
    problem code it raises is an example of its status."""
    raised = raised_statuses({name: sig.source for name, sig in signatures.items()})
    codes = raised_problems({name: sig.source for name, sig in signatures.items()})
    for ep in spec["endpoints"]:
        responses = document["paths"]["/api/v1" + ep["path"]][ep["method"].lower()]["responses"]
        for status, found in codes[ep["procedure"]].items():
            examples = responses[str(status)]["content"]["application/problem+json"]["examples"]
            assert found.codes <= set(examples), (ep["operation"], status)
    for ep in spec["endpoints"]:
        assert set(raised[ep["procedure"]]) <= documented_errors(document, ep), ep["operation"]
    assert check_against_database(spec, signatures) == []
    # Spot checks of the analysis on the real procedures.
    assert raised["api.create_order"][409] in {
        "internal.idempotent_replay",
        "internal.lock_inventory",
        "api.validate_cart_before_checkout",
        "internal.raise_insufficient_stock",
        "internal.lock_cart",
        "api.create_order",
        "internal.redeem_coupon",
    }
    assert set(raised["api.update_order_status"]) >= {401, 403, 404, 409, 422}
    assert set(raised["api.get_cart"]) == {401}, "coupon_problem catches the coupon's 404/422"


def test_a_status_left_out_of_the_spec_is_named(spec, signatures):
    endpoint(spec, "verify_payment")["errors"] = [400, 404, 502]
    endpoint(spec, "get_product")["errors"] = []
    problems = check_against_database(spec, signatures)
    assert any(
        p.startswith("endpoint verify_payment")
        and "api.verify_payment can answer 409 (raised in internal." in p
        for p in problems
    ), problems
    assert any(
        p.startswith("endpoint get_product") and "api.get_product can answer 404; list it" in p
        for p in problems
    ), problems


def test_raised_statuses_follow_calls_and_top_level_handlers():
    sources = {
        "api.leaf": "BEGIN RAISE EXCEPTION USING ERRCODE = 'JK404', MESSAGE = 'x'; END",
        "api.returns": "BEGIN RETURN internal.problem(401, 'invalid_otp', 'no'); END",
        "internal.problem": "BEGIN RETURN jsonb_build_object('status', p_status); END",
        "api.caller": "BEGIN PERFORM api.leaf(1); RETURN api.returns(); END",
        "api.catches": (
            "BEGIN\n    PERFORM api.leaf(1);\nEXCEPTION WHEN SQLSTATE 'JK404' THEN\n"
            "    RETURN NULL;\nEND"
        ),
        "api.inner": (
            "BEGIN\n    BEGIN\n        PERFORM api.leaf(1);\n"
            "    EXCEPTION WHEN SQLSTATE 'JK404' THEN NULL;\n    END;\nEND"
        ),
        "api.ping": "BEGIN PERFORM api.pong(); RAISE EXCEPTION USING ERRCODE = 'JK409'; END",
        "api.pong": "BEGIN PERFORM api.ping(); END",
    }
    raised = raised_statuses(sources)
    assert raised["api.caller"] == {404: "api.leaf", 401: "api.returns"}
    assert raised["api.catches"] == {}
    assert raised["api.inner"] == {404: "api.leaf"}, "an inner handler is not trusted"
    assert raised["api.pong"] == {409: "api.ping"} and raised["internal.problem"] == {}
    codes = raised_problems(sources)
    assert codes["api.caller"][404].codes == {"x"}
    assert codes["api.caller"][401].codes == {"invalid_otp"}
    assert codes["api.pong"][409].codes == set()


# What the hooks named in the spec can answer besides their procedure: their own statuses, and
# those of the procedures they call (app/hooks.py). A new hook must be added here.
HOOKS = {
    "limit_otp_per_ip": ({429}, []),
    "hide_otp": (set(), []),
    "issue_tokens": (set(), []),
    "create_gateway_order": ({502}, ["api.attach_gateway_order"]),
    "handle_webhook": (set(), []),
}


def test_every_status_a_hook_can_answer_is_documented(spec, signatures, document):
    raised = raised_statuses({name: sig.source for name, sig in signatures.items()})
    for ep in spec["endpoints"]:
        for hook in filter(None, (ep.get("before"), ep.get("after"))):
            assert hook in HOOKS, f"classify the statuses of hook {hook} in HOOKS"
            own, procedures = HOOKS[hook]
            statuses = own.union(*(raised[procedure] for procedure in procedures))
            assert statuses <= documented_errors(document, ep), (ep["operation"], hook)


def test_optional_body_fields_are_nullable_and_text_never_holds_nul(spec, document):
    schemas = document["components"]["schemas"]
    gender = schemas["CreateChildBody"]["properties"]["gender"]
    assert gender["anyOf"] == [
        {"$ref": "#/components/schemas/CreateChildGender"},
        {"type": "null"},
    ]
    assert schemas["CreateChildBody"]["properties"]["name"]["type"] == "string"
    assert schemas["CancelOrderBody"]["properties"]["reason"]["anyOf"][0]["pattern"] == (
        "^[^\\u0000]*$"
    )
    assert schemas["CreateChildBody"]["additionalProperties"] is False
    for ep in spec["endpoints"]:
        for group in ("path_params", "query", "body", "headers"):
            for name, field in (ep.get(group) or {}).items():
                if "pattern" in field:  # the spec's own patterns must refuse NUL as well
                    assert not re.search(field["pattern"], field["example"] + "\x00"), name
                    assert re.search(field["pattern"], str(field["example"])), name


def test_one_enum_class_for_each_set_of_values(document):
    """Enums are named schemas, so a generated client makes one class of each, nullable or
    not; fields of one name but other values get names of their own."""
    schemas = document["components"]["schemas"]
    assert schemas["CreateChildGender"]["enum"] == ["boy", "girl", "unspecified"]
    assert schemas["ListProductsGender"]["enum"] == ["boy", "girl"]
    update = schemas["UpdateChildBody"]["properties"]["gender"]["anyOf"][0]
    assert update == {"$ref": "#/components/schemas/CreateChildGender"}


@pytest.fixture(scope="module")
def schema_doc(db_url):
    """docs/schema.md as codegen writes it from the test database."""
    return schema_docs.schema_md(db_url)


def diagram_and_sections(doc: str) -> tuple[str, dict[str, str]]:
    diagram = re.search(r"```mermaid\nerDiagram\n(.*?)```", doc, re.S).group(1)
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", doc, re.S | re.M))
    return diagram, sections


def test_committed_schema_doc_is_what_codegen_writes_and_is_drift_checked(
    db_url, schema_doc, tmp_path: Path, capsys
):
    """docs/schema.md is current (the --check of the drift test above compares it too), is
    the same on every run, says it is generated, and a stale copy is shown and refused."""
    committed = (ROOT / schema_docs.PATH).read_text()
    assert committed == schema_doc
    assert schema_docs.schema_md(db_url) == schema_doc
    assert "make codegen" in schema_doc.splitlines()[2] and "DO NOT EDIT" in schema_doc
    (tmp_path / "schema.md").write_text(committed.replace("users ||", "people ||"))
    assert check_drift({"schema.md": schema_doc}, tmp_path, only_these=True) == ["schema.md"]
    out = capsys.readouterr()
    assert "-    people ||--o{ orders" in out.out and "schema.md" in out.err


def test_every_store_table_is_in_the_diagram_and_has_a_section(db_url, schema_doc):
    with psycopg.connect(db_url) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = 'store'::regnamespace"
                " AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY relname"
            )
        ]
    diagram, sections = diagram_and_sections(schema_doc)
    assert "orders" in tables and "users" in tables
    assert re.findall(r"^    (\w+) \{$", diagram, re.M) == tables
    assert list(sections) == tables
    for name in tables:
        assert "| Column | Type | Null | Key | Comment |" in sections[name], name


def test_foreign_keys_are_relationships_with_their_cardinality(schema_doc):
    diagram, sections = diagram_and_sections(schema_doc)
    assert '    users ||--o{ orders : "user_id"' in diagram.splitlines()
    assert '    addresses ||..o{ orders : "user_id, address_id"' in diagram.splitlines()
    assert '    coupons |o..o{ orders : "coupon_id"' in diagram.splitlines()  # nullable
    assert '    orders ||..o| payments : "user_id, order_id"' in diagram.splitlines()  # unique
    assert '    categories |o..o{ categories : "parent_id"' in diagram.splitlines()
    assert (
        "| `user_id` | `bigint` | no | PK, FK → addresses.user_id, FK → users.id |"
        in (sections["orders"])
    )


def test_comments_are_in_their_tables_and_the_diagram_is_mermaid_words(db_url, schema_doc):
    """Each table's and column's COMMENT is in its section; Mermaid types are one word each
    (its erDiagram refuses spaces and parentheses), the full SQL type is in the table."""
    with psycopg.connect(db_url) as conn:
        table_comment, column_comment = conn.execute(
            "SELECT obj_description('store.orders'::regclass, 'pg_class'),"
            " col_description('store.orders'::regclass, 3)"
        ).fetchone()
    diagram, sections = diagram_and_sections(schema_doc)
    assert table_comment in sections["orders"]
    assert f"| `status` | `text` | no |  | {column_comment} |" in sections["orders"]
    assert "| `created_at` | `timestamp with time zone` | no |" in sections["orders"]
    assert table_comment not in diagram
    attribute = re.compile(r"        \w+ \w+( (PK|FK|UK)(, (PK|FK|UK))*)?")
    for line in diagram.splitlines():
        if line.startswith("        "):
            assert attribute.fullmatch(line), line
    assert "        timestamptz created_at" in diagram
    assert "&lt;sha256 of the body&gt;" in sections["webhook_events"]  # not an HTML tag


@pytest.mark.parametrize(
    "sql_type, word",
    [
        ("timestamp with time zone", "timestamptz"),
        ("character varying(200)", "varchar"),
        ("numeric(10,2)", "numeric"),
        ("text[]", "text_array"),
        ("timestamp(3) without time zone[]", "timestamp_array"),
        ("time(0) with time zone", "timetz"),
        ("double precision", "float8"),
        ('"char"', "char"),
    ],
)
def test_sql_types_become_one_mermaid_word(sql_type, word):
    assert schema_docs.mermaid_type(sql_type) == word


def test_partitions_are_left_out_and_partitioned_tables_kept(db_url):
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "CREATE SCHEMA schema_docs_probe;"
            " CREATE TABLE schema_docs_probe.events (id bigint, at date NOT NULL,"
            "  tags text[], PRIMARY KEY (id, at)) PARTITION BY RANGE (at);"
            " CREATE TABLE schema_docs_probe.events_2024 PARTITION OF schema_docs_probe.events"
            "  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
            " COMMENT ON COLUMN schema_docs_probe.events.tags IS 'a | b';"
        )
        try:
            tables = schema_docs.read_schema(db_url, "schema_docs_probe")
        finally:
            conn.execute("DROP SCHEMA schema_docs_probe CASCADE")
    assert [t.name for t in tables] == ["events"]
    assert [(c.name, c.type, c.not_null) for c in tables[0].columns] == [
        ("id", "bigint", True),
        ("at", "date", True),
        ("tags", "text[]", False),
    ]
    doc = schema_docs.render_schema_md(tables)
    assert "        text_array tags" in doc and "| a \\| b |" in doc


def test_a_204_route_has_no_response_schema_and_only_user_routes_pass_a_session(spec):
    logout = endpoint(spec, "logout")
    assert logout["status"] == 204 and "response" not in logout
    assert check_shape(spec) == []

    logout["response"] = "User"
    endpoint(spec, "get_product")["args"]["p_session"] = "user.session"
    problems = check_shape(spec)

    assert any("logout" in p and "a 204 answer has no body" in p for p in problems), problems
    assert any("get_product" in p and "only auth: user has a session" in p for p in problems)


def test_every_token_route_documents_the_authenticate_functions_answers(spec, document):
    for ep in spec["endpoints"]:
        if ep["auth"] == "none":
            continue
        responses = document["paths"]["/api/v1" + ep["path"]][ep["method"].lower()]["responses"]
        for status, code in ((401, "unauthorized"), (403, "account_disabled")):
            examples = responses[str(status)]["content"]["application/problem+json"]["examples"]
            assert code in examples, (ep["operation"], status)


# --- where a route reads from, and what limits it ------------------------------------------


@pytest.mark.parametrize(
    ("operation", "change", "message"),
    [
        ("create_order", {"replica": True}, "only a GET without hooks may read from the replica"),
        ("get_product", {"replica": "yes"}, "replica is true or left out"),
        ("get_me", {"replica": True, "cache": "catalog"}, "cache needs a public GET"),
        ("get_product", {"replica": None, "cache": "product"}, "cache needs a public GET"),
        ("list_categories", {"cache": "product"}, "cache: product needs the argument p_product_id"),
        ("get_product", {"cache": "forever"}, "cache must be one of catalog, product"),
        ("get_cart", {"rate_limit": "writes"}, "rate_limit: writes needs a write with auth: user"),
        ("send_otp", {"rate_limit": "writes"}, "rate_limit: writes needs a write with auth: user"),
        ("add_to_cart", {"rate_limit": "reads"}, "rate_limit must be writes"),
        ("get_order", {"html": "no_such_page"}, "html names no template app/templates/<name>.html"),
        ("get_order", {"html": "../main"}, "html names no template app/templates/<name>.html"),
        ("create_order", {"html": "invoice"}, "html needs a GET with a body, without hooks"),
        ("get_product", {"html": "invoice"}, "html needs a GET with a body, without hooks or"),
    ],
)
def test_routing_and_limit_keys_are_checked(spec, operation, change, message):
    ep = endpoint(spec, operation)
    ep.update(change)
    if "replica" in ep and ep["replica"] is None:
        del ep["replica"]
    problems = check_shape(spec)
    assert any(operation in p and message in p for p in problems), problems


def test_marked_routes_are_rendered_with_their_cache_replica_and_limit(spec, signatures, document):
    routes = render(spec, signatures)["routes.py"]
    for ep in spec["endpoints"]:
        function = routes[routes.index(f'operation_id="{ep["operation"]}"') :]
        function = function[: function.find("\n@router.") % len(function)]
        responses = document["paths"]["/api/v1" + ep["path"]][ep["method"].lower()]["responses"]
        assert ("cached_call(" in function) == ("cache" in ep), ep["operation"]
        assert ("304" in responses) == ("cache" in ep), ep["operation"]
        limited = ep.get("rate_limit") == "writes"
        assert ("Depends(limit_writes)" in function) == limited, ep["operation"]
        if limited:
            assert (
                "rate_limited"
                in responses["429"]["content"]["application/problem+json"]["examples"]
            )
        if "cache" in ep:
            assert set(responses["200"]["headers"]) == {"ETag", "Cache-Control"}
        writes = ep["method"] != "GET" and ep["auth"] == "user"
        assert ("writer=caller.user_id" in function) == writes, ep["operation"]
    assert {ep["operation"] for ep in spec["endpoints"] if "cache" in ep} == {
        "list_products",
        "list_categories",
        "get_product",
    }


def test_an_html_route_renders_its_template_when_html_is_preferred(spec, signatures, document):
    """`html: <template>`: the generated operation answers app/templates/<template>.html when
    the client prefers text/html (app.html), its JSON otherwise, both with Vary: Accept, and
    the document lists both media types; other routes answer JSON alone."""
    routes = render(spec, signatures)["routes.py"]
    for ep in spec["endpoints"]:
        function = routes[routes.index(f'operation_id="{ep["operation"]}"') :]
        function = function[: function.find("\n@router.") % len(function)]
        success = document["paths"]["/api/v1" + ep["path"]][ep["method"].lower()]["responses"]
        media = set(success[str(ep["status"])].get("content", {}))
        if "html" in ep:
            assert f'render_html(request, "{ep["html"]}", json.loads(result)' in function
            assert "if prefers_html(request):" in function
            assert "headers=VARY" in function
            assert media == {"application/json", "text/html"}, ep["operation"]
        else:
            assert "prefers_html" not in function, ep["operation"]
            assert "text/html" not in media, ep["operation"]
    assert {ep["operation"]: ep["html"] for ep in spec["endpoints"] if "html" in ep} == {
        "get_invoice": "invoice"
    }
