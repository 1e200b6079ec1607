"""What the runtime around the generated routes promises over real HTTP (docs/api.md):
problem+json for every error, request ids, health checks, the OpenAPI document and Swagger UI
(served without internet access), and a database that is down."""

from __future__ import annotations

import re
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import API, api_url, assert_problem, free_port, login, new_phone

ROOT = Path(__file__).resolve().parent.parent
PROBLEM_FIELDS = {"type", "title", "status", "code", "detail", "errors", "request_id"}
PLAIN_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def assert_full_problem(response: httpx.Response, status: int, code: str) -> dict:
    """assert_problem, plus every member of the contract's problem body with its type."""
    problem = assert_problem(response, status, code)
    assert set(problem) == PROBLEM_FIELDS, problem
    assert problem["type"] == "about:blank"
    assert isinstance(problem["title"], str) and problem["title"]
    assert isinstance(problem["detail"], str)
    assert isinstance(problem["errors"], list)
    assert problem["request_id"] == response.headers["x-request-id"]
    return problem


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("GET", "/no-such-endpoint", {}, 404, "not_found"),
        ("GET", "/products/999999999999", {}, 404, "product_not_found"),
        ("DELETE", "/products", {}, 405, "method_not_allowed"),
        ("PUT", "/auth/send-otp", {"json": {"phone": "9876543210"}}, 405, "method_not_allowed"),
        ("GET", "/products?page_size=101", {}, 422, "validation_error"),
        ("POST", "/auth/send-otp", {"json": {"phone": "1"}}, 422, "validation_error"),
        (
            "POST",
            "/auth/verify-otp",
            {"json": {"phone": new_phone(), "otp": "000000"}},  # no code was sent
            401,
            "invalid_otp",
        ),
        ("GET", "/users/me", {}, 401, "unauthorized"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_every_error_is_a_problem_json(client, method, path, kwargs, status, code):
    response = client.request(method, path, **kwargs)

    assert_full_problem(response, status, code)


def test_validation_problem_lists_each_field_error(client):
    response = client.get("/products", params={"page": 0, "page_size": 101})

    problem = assert_full_problem(response, 422, "validation_error")
    fields = sorted(error["field"] for error in problem["errors"])
    assert fields == ["page", "page_size"]
    for error in problem["errors"]:
        assert set(error) == {"field", "message"} and error["message"]


def test_unknown_path_outside_the_api_is_a_problem_too(server):
    response = httpx.get(f"{server.base_url}/no-such-page", timeout=10)

    assert_full_problem(response, 404, "not_found")


def test_wrong_method_names_the_allowed_ones(client):
    response = client.post("/products")

    assert_full_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"


def test_problem_never_carries_sql_or_driver_text(client):
    # Reaches PostgreSQL and is refused there (page too large for the offset).
    response = client.get("/products", params={"page": 2**31 - 1})

    problem = assert_full_problem(response, 422, "validation_error")
    text = response.text.lower()
    for leak in ("sqlstate", "psycopg", "traceback", "select ", "api.", "jk422", "context:"):
        assert leak not in text, problem


# --- request ids ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/healthz", "/readyz", f"{API}/products", f"{API}/nope"])
def test_every_response_carries_a_request_id(server, path):
    first = httpx.get(server.base_url + path, timeout=10)
    second = httpx.get(server.base_url + path, timeout=10)

    assert PLAIN_REQUEST_ID.fullmatch(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


def test_plain_client_request_id_is_echoed_and_logged(server, client):
    request_id = f"abc-123.{uuid.uuid4().hex[:12]}"

    response = client.get(
        "/products", params={"page_size": 1}, headers={"X-Request-ID": request_id}
    )

    assert response.status_code == 200
    assert response.headers["x-request-id"] == request_id
    line = server.log_line(f"[{request_id}]")
    assert f"GET {API}/products 200" in line


def test_request_id_of_a_problem_is_in_its_body_its_header_and_the_log(server, client):
    request_id = f"req:{uuid.uuid4().hex}"

    response = client.get("/users/me", headers={"X-Request-ID": request_id})

    problem = assert_full_problem(response, 401, "unauthorized")
    assert problem["request_id"] == response.headers["x-request-id"] == request_id
    assert f"GET {API}/users/me 401" in server.log_line(f"[{request_id}]")


def test_generated_request_id_of_a_problem_equals_its_header(client):
    response = client.get("/products/0")

    problem = assert_full_problem(response, 422, "validation_error")
    assert re.fullmatch(r"[0-9a-f]{32}", problem["request_id"]), problem


@pytest.mark.parametrize(
    "hostile",
    [
        "a" * 200,
        "b" * 65,
        "abc 123",
        "<script>alert(1)</script>",
        "id\ttab",
        "x;rm -rf /",
        "ünïcode",
        "",
    ],
    ids=["200-chars", "65-chars", "space", "html", "tab", "semicolon", "non-ascii", "empty"],
)
def test_hostile_request_id_is_replaced(server, client, hostile):
    response = client.get("/products/0", headers=[(b"X-Request-ID", hostile.encode())])

    sent_back = response.headers["x-request-id"]
    assert sent_back != hostile
    assert re.fullmatch(r"[0-9a-f]{32}", sent_back), sent_back
    assert response.json()["request_id"] == sent_back
    server.log_line(f"[{sent_back}]")  # its access line is written
    if hostile:
        assert hostile not in server.log()


def test_request_id_header_is_sent_once(client):
    response = client.get("/products", params={"page_size": 1}, headers={"X-Request-ID": "one"})

    assert response.headers.get_list("x-request-id") == ["one"]


# --- health --------------------------------------------------------------------------------


def test_healthz_answers_ok(server):
    response = httpx.get(f"{server.base_url}/healthz", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_head_too(server, path):
    """Load balancers and uptime checks probe with HEAD: the status without the body."""
    response = httpx.head(f"{server.base_url}{path}", timeout=10)

    assert response.status_code == 200
    assert response.content == b""
    assert PLAIN_REQUEST_ID.fullmatch(response.headers["x-request-id"])


def test_readyz_answers_ready_when_the_database_is_reachable(server):
    response = httpx.get(f"{server.base_url}/readyz", timeout=10)

    assert response.status_code == 200
    # The shared test server has neither a replica nor Redis: tests/test_replica_api.py and
    # tests/test_catalog_cache_api.py start servers with them.
    assert response.json() == {"status": "ready", "replica": {"state": "off"}, "cache": "off"}


# --- docs and OpenAPI ----------------------------------------------------------------------


def test_docs_serve_the_swagger_ui(client):
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger-ui" in response.text.lower()
    assert f"{API}/openapi.json" in response.text


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load((ROOT / "api_spec.yaml").read_text())


@pytest.fixture(scope="module")
def openapi(server) -> dict:
    response = httpx.get(f"{server.base_url}{API}/openapi.json", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def spec_operations(spec: dict) -> dict[tuple[str, str], dict]:
    base = spec["info"]["base_path"]
    return {
        (endpoint["method"].lower(), base + endpoint["path"]): endpoint
        for endpoint in spec["endpoints"]
    }


def openapi_operations(openapi: dict) -> dict[tuple[str, str], dict]:
    return {
        (method, path): operation
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "patch", "delete"}
    }


def test_openapi_lists_exactly_the_endpoints_of_the_spec(spec, openapi):
    documented = openapi_operations(openapi)
    specified = spec_operations(spec)

    assert set(documented) == set(specified)
    for key, endpoint in specified.items():
        assert documented[key]["operationId"] == endpoint["operation"], key
        assert str(endpoint["status"]) in documented[key]["responses"], key


def test_openapi_documents_the_problem_schema_and_bearer_auth(openapi):
    components = openapi["components"]

    problem = components["schemas"]["Problem"]
    assert {"type", "title", "status", "code", "detail", "errors"} <= set(problem["required"])
    assert {"type", "title", "status", "code", "detail", "errors", "request_id"} <= set(
        problem["properties"]
    )
    assert components["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }


def test_openapi_marks_token_endpoints_with_bearer_security(spec, openapi):
    documented = openapi_operations(openapi)

    assert documented[("get", f"{API}/users/me")]["security"] == [{"bearerAuth": []}]
    for key, endpoint in spec_operations(spec).items():
        if endpoint["auth"] == "user":
            assert documented[key].get("security") == [{"bearerAuth": []}], key
            assert "401" in documented[key]["responses"], key
        elif endpoint["auth"] == "optional":
            # A token or none. No security requirement: generated clients (such as
            # openapi-python-client's) make an operation that has one callable only with
            # credentials, whatever alternatives it lists. A token sent must be valid: 401.
            assert "security" not in documented[key], key
            assert "401" in documented[key]["responses"], key
        else:
            assert not documented[key].get("security"), key


def test_openapi_error_responses_use_the_problem_schema(openapi):
    checked = 0
    for key, operation in openapi_operations(openapi).items():
        for status, response in operation["responses"].items():
            if int(status) < 400:  # 2xx, and the 304 of a cached catalog read
                continue
            content = response.get("content", {})
            assert set(content) == {"application/problem+json"}, (key, status, content)
            schema = content["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, (key, status)
            checked += 1
    assert checked > 0


def test_openapi_documents_the_errors_the_spec_declares(spec, openapi):
    documented = openapi_operations(openapi)

    for key, endpoint in spec_operations(spec).items():
        for status in endpoint.get("errors", []):
            assert str(status) in documented[key]["responses"], (key, status)
        if endpoint.get("body") or endpoint.get("query") or endpoint.get("path_params"):
            assert "422" in documented[key]["responses"], key


def test_openapi_publishes_the_spec_schemas_and_not_fastapis_validation_ones(spec, openapi):
    schemas = openapi["components"]["schemas"]

    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(spec["schemas"]) <= set(schemas)


# --- database down -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def down_server(start_server):
    """A server whose database refuses connections (nothing listens on its port)."""
    return start_server(
        {
            "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/x",
            "JIOKIDZ_ENV": "test",
        }
    )


QUICKLY = 3.0  # seconds: well inside a mobile client's timeout and a webhook sender's 5 s


def timed_get(url: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.get(url, timeout=30)
    return response, time.monotonic() - started


def test_healthz_answers_while_the_database_is_down(down_server):
    response, elapsed = timed_get(f"{down_server.base_url}/healthz")

    assert response.status_code == 200
    assert elapsed < 1


def test_readyz_answers_503_while_the_database_is_down(down_server):
    response, elapsed = timed_get(f"{down_server.base_url}/readyz")

    assert_full_problem(response, 503, "service_unavailable")
    assert elapsed < QUICKLY, f"took {elapsed:.1f} s"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/products", None), ("POST", "/auth/send-otp", {"phone": "9876543210"})],
    ids=["list-products", "send-otp"],
)
def test_api_answers_503_problem_while_the_database_is_down(down_server, method, path, body):
    started = time.monotonic()
    response = httpx.request(method, f"{down_server.base_url}{API}{path}", json=body, timeout=30)
    elapsed = time.monotonic() - started

    problem = assert_full_problem(response, 503, "service_unavailable")
    assert "retry-after" in response.headers
    assert "127.0.0.1" not in problem["detail"] and "connection" not in response.text.lower()
    assert elapsed < QUICKLY, f"took {elapsed:.1f} s"


def test_a_request_waiting_on_a_held_row_lock_gives_up_with_503(client, db):
    phone = new_phone()
    assert client.post("/auth/send-otp", json={"phone": phone}).status_code == 200
    started = time.monotonic()
    with db.transaction():  # another session holds the code's row lock
        db.execute(
            "SELECT 1 FROM store.otp_verifications WHERE phone = %s FOR UPDATE", ("+91" + phone,)
        )
        answer = client.post("/auth/verify-otp", json={"phone": phone, "otp": "000000"})
    assert_problem(answer, 503, "service_unavailable")
    assert answer.headers["retry-after"]
    assert 1.5 < time.monotonic() - started < 4.5  # lock_timeout 2 s, not a hang


def test_a_statement_running_too_long_is_cancelled_with_503(client, db):
    """No request holds the database longer than statement_timeout (5 s): here a trigger makes
    the insert of one phone's code sleep, and the API gives up, cancels it and answers 503."""
    phone = new_phone()
    db.execute(
        "CREATE FUNCTION store.test_slow_otp() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN IF NEW.phone = '+91{phone}' THEN PERFORM pg_sleep(30); END IF; RETURN NEW; END $$"
    )
    db.execute(
        "CREATE TRIGGER test_slow_otp BEFORE INSERT ON store.otp_verifications"
        " FOR EACH ROW EXECUTE FUNCTION store.test_slow_otp()"
    )
    try:
        started = time.monotonic()
        answer = client.post("/auth/send-otp", json={"phone": phone})
        elapsed = time.monotonic() - started
    finally:
        db.execute("DROP TRIGGER test_slow_otp ON store.otp_verifications")
        db.execute("DROP FUNCTION store.test_slow_otp()")

    assert_problem(answer, 503, "service_unavailable")
    assert 4.5 < elapsed < 7, elapsed
    running = db.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE %s"
        " AND pid <> pg_backend_pid()",
        ("%api.send_otp%",),
    ).fetchone()
    assert running == (0,), "the statement was cancelled, not left running"
    assert db.execute(
        "SELECT count(*) FROM store.otp_verifications WHERE phone = %s", ("+91" + phone,)
    ).fetchone() == (0,)


def test_a_405_lists_every_method_the_path_answers(client):
    token, _ = login(client)
    response = client.post("/cart/items/1", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 405, "method_not_allowed")
    assert sorted(response.headers["allow"].split(", ")) == ["DELETE", "PUT"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/payments/initiate", "POST"),
        ("GET", "/payments/verify", "POST"),
        ("DELETE", "/payments/webhook", "POST"),
        ("POST", "/payments/7", "GET"),
    ],
)
def test_a_literal_path_is_not_taken_for_a_templated_one(client, method, path, allow):
    """GET /payments/initiate is a wrong method on a POST-only path, not GET /payments/{order_id}
    with the order id "initiate" (Schemathesis ST204 found the 422 it used to answer)."""
    token, _ = login(client)
    response = client.request(method, path, headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allow


class AssetLinks(HTMLParser):
    """The stylesheets and scripts a page loads."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.links.append(attributes["src"])
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.links.append(attributes["href"])


def test_docs_load_swagger_ui_from_the_app_not_a_cdn(server, client):
    """The machines that run the store, and many of those that read its docs, have no
    internet access: every file the page loads must come from the app itself."""
    page = client.get("/docs").text
    parser = AssetLinks()
    parser.feed(page)

    assert len(parser.links) >= 2, parser.links
    assert "http://" not in page and "https://" not in page
    for link in parser.links:
        assert link.startswith(f"{API}/"), link
        asset = httpx.get(server.base_url + link, timeout=10)
        assert asset.status_code == 200, link
        kind = "css" if link.endswith(".css") else "javascript"
        assert kind in asset.headers["content-type"], (link, asset.headers["content-type"])
        assert len(asset.content) > 10_000, link
    bundle = next(link for link in parser.links if link.endswith("swagger-ui-bundle.js"))
    # Swagger UI 5 or later: the first to read OpenAPI 3.1, which FastAPI writes.
    assert "3.1" in httpx.get(server.base_url + bundle, timeout=10).text


def test_each_error_status_shows_examples_of_its_own_codes(openapi):
    codes_seen = set()
    for key, operation in openapi_operations(openapi).items():
        for status, response in operation["responses"].items():
            if int(status) < 400:  # 2xx, and the 304 of a cached catalog read
                continue
            examples = response["content"]["application/problem+json"]["examples"]
            assert examples, (key, status)
            for code, example in examples.items():
                assert example["value"]["status"] == int(status), (key, status, code)
                assert example["value"]["code"] == code, (key, status, code)
                codes_seen.add(code)
    documented = openapi_operations(openapi)
    product = documented[("get", f"{API}/products/{{product_id}}")]["responses"]
    assert "product_not_found" in product["404"]["content"]["application/problem+json"]["examples"]
    me = documented[("get", f"{API}/users/me")]["responses"]
    assert set(me["401"]["content"]["application/problem+json"]["examples"]) == {"unauthorized"}
    assert {"insufficient_stock", "validation_error", "body_too_large"} <= codes_seen


def test_the_webhook_body_is_documented_as_razorpays_event(openapi):
    webhook = openapi_operations(openapi)[("post", f"{API}/payments/webhook")]
    schema = webhook["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/RazorpayEvent"}
    event = openapi["components"]["schemas"]["RazorpayEvent"]
    assert {"entity", "event", "payload"} <= set(event["required"])
    assert {"payment", "refund"} <= set(event["properties"]["payload"]["properties"])


def test_a_chunked_body_over_the_limit_is_refused(client):
    def chunks():
        for _ in range(20):
            yield b"9" * 4096

    response = client.post(
        "/auth/send-otp", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_full_problem(response, 413, "body_too_large")


def test_a_bug_answers_500_with_its_request_id_and_logs_the_traceback(
    db_url, db, start_test_server
):
    """An error that is neither a problem nor the database being away (here a trigger raising
    a plain exception) is a bug: 500 internal_error, no detail of it sent, the request id in
    the header and the body, and a log line with that id and the traceback."""
    server = start_test_server({"DATABASE_URL": api_url(db_url), "JIOKIDZ_ENV": "test"})
    phone = new_phone()
    db.execute(
        "CREATE FUNCTION store.test_bug() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN IF NEW.phone = '+91{phone}' THEN RAISE EXCEPTION 'secret bug text'; END IF;"
        " RETURN NEW; END $$"
    )
    db.execute(
        "CREATE TRIGGER test_bug BEFORE INSERT ON store.otp_verifications"
        " FOR EACH ROW EXECUTE FUNCTION store.test_bug()"
    )
    try:
        answer = httpx.post(
            f"{server.base_url}{API}/auth/send-otp", json={"phone": phone}, timeout=10
        )
    finally:
        db.execute("DROP TRIGGER test_bug ON store.otp_verifications")
        db.execute("DROP FUNCTION store.test_bug()")

    problem = assert_full_problem(answer, 500, "internal_error")
    assert answer.headers.get_list("x-request-id") == [problem["request_id"]]
    assert "secret bug text" not in answer.text
    line = server.log_line(f"[{problem['request_id']}] unexpected error on POST")
    assert line.startswith(time.strftime("%Y-"))
    assert "Traceback" in server.log() and "secret bug text" in server.log()
