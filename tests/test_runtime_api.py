"""What the runtime around the generated routes promises over real HTTP (API.md "Conventions",
"Errors", "Operations"): problem+json for every error, request ids, health checks, the
OpenAPI document and Swagger UI, and a database that is down. Also, in process, that the
indexed router routes every path as Starlette's own Router would."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import time
import uuid
from pathlib import Path
from unittest import mock

import httpx
import pytest
import yaml
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Router

from app.logging_setup import LINE_FORMAT, AccessLineWriter, access_log
from app.pipeline import RequestIds
from app.runtime import IndexedRouter, route
from generated.routes import ROUTES
from tests.conftest import API, assert_problem, free_port, login, new_phone

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


def test_generated_request_ids_are_random_and_differ_after_a_fork():
    """Ids come from random bytes drawn for many ids at once: they must not repeat when the
    batch runs out, nor in a child forked after the app was imported (which would otherwise
    hand out its parent's next ids)."""
    ids = RequestIds()
    first_draw = [ids.next() for _ in range(RequestIds.IDS_PER_DRAW)]
    second_draw = [ids.next() for _ in range(RequestIds.IDS_PER_DRAW)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", one) for one in first_draw + second_draw)
    assert len(set(first_draw + second_draw)) == 2 * RequestIds.IDS_PER_DRAW
    parent_next = ids.next()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its next id, then out without pytest's cleanup
        os.write(write_end, ids.next().encode())
        os._exit(0)
    os.waitpid(child, 0)
    in_child = os.read(read_end, 64).decode()
    os.close(read_end)
    os.close(write_end)
    assert re.fullmatch(r"[0-9a-f]{32}", in_child)
    assert in_child != ids.next()  # the parent's id after parent_next: what a copy would give
    assert in_child not in first_draw + second_draw + [parent_next]


def test_access_lines_carry_the_text_logging_would_give_them():
    """The access log formats its lines itself, in batches: each must read exactly as
    logging.Formatter(LINE_FORMAT) writes a record of the same time, request id and message,
    so that one parser reads every line of the log (milliseconds, seconds that change within
    a batch, a request that ended without a status)."""
    stream = io.StringIO()
    writer = AccessLineWriter(logging.StreamHandler(stream))
    requests = [
        (1764913201.0, "a1", "GET", "/api/v1/products/5", 200, 1.25),
        (1764913201.9996, "b2", "POST", "/api/v1/cart/items", 201, 12.0),
        (1764913202.0504, "c3", "GET", "/api/v1/orders", None, 0.04),
    ]
    expected = []

    async def write_one_batch():  # in a loop, as the server writes: flushed together below
        for now, request_id, method, path, status, milliseconds in requests:
            # LogRecord reads time.time() up to Python 3.12, time.time_ns() from 3.13.
            with (
                mock.patch("time.time", return_value=now),
                mock.patch("time.time_ns", return_value=round(now * 1e9)),
            ):
                writer.write(request_id, method, path, status, milliseconds)
                record = logging.LogRecord(
                    access_log.name,
                    logging.INFO,
                    __file__,
                    0,
                    "%s %s %s %.1fms",
                    (method, path, status, milliseconds),
                    None,
                )
            record.request_id = request_id
            expected.append(logging.Formatter(LINE_FORMAT).format(record) + "\n")
        assert len(writer.pending) == len(requests) and stream.getvalue() == ""
        writer.flush()

    level = access_log.level
    access_log.setLevel(logging.INFO)
    try:
        asyncio.run(write_one_batch())
    finally:
        access_log.setLevel(level)
    assert stream.getvalue() == "".join(expected)


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
    assert response.json() == {"status": "ready"}


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
        elif endpoint["auth"] == "optional":  # a token or none
            assert documented[key].get("security") == [{"bearerAuth": []}, {}], key
            assert "401" in documented[key]["responses"], key
        else:
            assert not documented[key].get("security"), key


def test_openapi_error_responses_use_the_problem_schema(openapi):
    checked = 0
    for key, operation in openapi_operations(openapi).items():
        for status, response in operation["responses"].items():
            if status.startswith("2"):
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


# --- routing -------------------------------------------------------------------------------


def route_chosen(router, path: str, method: str):
    """What a router makes of a request: the path of the route it chose, or its answer (the
    status, with the Allow of a 405 or the Location of a redirect). Starlette's Router runs
    the route's app, which sends; IndexedRouter returns the handler, which returns its
    answer."""
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
    scope.update(query_string=b"", app=object(), server=("testserver", 80), scheme="http")
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    try:
        if isinstance(router, IndexedRouter):
            handler = router.handler_for(scope)
            if "route" not in scope:
                answer = asyncio.run(handler(Request(scope, receive)))
                sent = [{"status": answer.status_code, "headers": answer.raw_headers}]
        else:
            asyncio.run(router.app(scope, receive, send))
    except HTTPException as exc:
        return exc.status_code, exc.headers
    if "route" in scope:
        return scope["route"].path
    return sent[0]["status"], dict(sent[0]["headers"]).get(b"location")


async def empty_answer(request):
    return Response(b"")


def both_routers(paths: list[str], methods=("GET",)):
    """Routes at `paths` answering nothing, as IndexedRouter and as Starlette's Router."""
    routes = [route(path, dict.fromkeys(methods, empty_answer)) for path in paths]
    return routes, IndexedRouter(routes), Router(routes)


def test_indexed_router_chooses_what_starlettes_router_would():
    """IndexedRouter only narrows the routes it tries; for every generated path (with
    literal words in the parameters' places too), a method it lacks, and paths that match
    nothing or end in a slash, it must pick the same route or give the same answer."""
    paths = [generated.path for generated in ROUTES]
    _, indexed, plain = both_routers(paths, methods=("GET", "POST"))
    requests = ["/healthz", f"{API}/nope", f"{API}/products/", f"{API}/products/7/x"]
    for path in paths:
        for word in ("7", "initiate", "me"):
            requests.append(re.sub(r"\{[^}]+\}", word, path))
    for path in requests:
        for method in ("GET", "DELETE"):
            assert route_chosen(indexed, path, method) == route_chosen(plain, path, method), path
    # What the comparison covered besides routes: Starlette's trailing-slash redirect, a 404.
    assert route_chosen(indexed, f"{API}/products/", "GET") == (
        307,
        b"http://testserver/api/v1/products",
    )
    assert route_chosen(indexed, f"{API}/nope", "GET") == (404, None)


def test_indexed_router_keeps_the_order_of_a_templated_path_before_a_literal_one():
    """A literal path that an earlier templated route also matches is found by the walk in
    order, not by IndexedRouter's dict of literal paths."""
    _, indexed, plain = both_routers(
        [f"{API}/orders/{{order_id}}", f"{API}/orders/latest", f"{API}/orders"]
    )
    assert f"{API}/orders/latest" not in indexed.literal
    assert f"{API}/orders" in indexed.literal
    for path in (f"{API}/orders/latest", f"{API}/orders/7", f"{API}/orders"):
        for method in ("GET", "POST"):
            assert route_chosen(indexed, path, method) == route_chosen(plain, path, method), path
    assert route_chosen(indexed, f"{API}/orders/latest", "GET") == f"{API}/orders/{{order_id}}"


def test_indexed_router_finds_by_parent_only_a_route_nothing_earlier_could_take():
    """A route ending in its one parameter is found by its parent path, unless an earlier
    route with as many segments could take the same paths first: then the walk decides."""
    routes, indexed, plain = both_routers(
        [
            f"{API}/users/{{user_id}}/addresses",
            f"{API}/users/me/{{address_id}}",
            f"{API}/orders/{{order_id}}",
            f"{API}/orders/{{order_id}}/cancel",
        ]
    )
    assert f"{API}/orders" in indexed.by_parent
    assert f"{API}/users/me" not in indexed.by_parent
    requests = [f"{API}/users/me/addresses", f"{API}/users/me/7", f"{API}/orders/7"]
    requests += [f"{API}/orders/7/cancel", f"{API}/orders/", f"{API}/orders//"]
    for path in requests:
        assert route_chosen(indexed, path, "GET") == route_chosen(plain, path, "GET"), path
    assert route_chosen(indexed, f"{API}/users/me/addresses", "GET") == routes[0].path
    assert route_chosen(indexed, f"{API}/users/me/7", "GET") == routes[1].path
