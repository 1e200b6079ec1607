"""OpenTelemetry traces (docs/operations.md, "Traces and metrics"), exported by real servers:
over OTLP/HTTP to a collector run by the test, and to the console. One request is one trace:
FastAPI's server span and, under it, psycopg's span of the procedure call; the access line and
a problem+json body carry that trace's id. With tracing off, nothing of it appears. A worker
process continues a trace from a traceparent (as the relay does from an outbox row), through
the database and through RabbitMQ's message headers."""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span as ProtoSpan
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from app.settings import Settings, SettingsError
from app.telemetry import continue_trace, current_traceparent, trace_id, tracing_enabled
from tests.conftest import API, ROOT, api_url, assert_problem, new_phone

PRODUCT_ROUTE = f"{API}/products/{{product_id}}"
TRACE_ID = re.compile(r"[0-9a-f]{32}")
KINDS = {
    ProtoSpan.SPAN_KIND_SERVER: "server",
    ProtoSpan.SPAN_KIND_CLIENT: "client",
    ProtoSpan.SPAN_KIND_PRODUCER: "producer",
    ProtoSpan.SPAN_KIND_CONSUMER: "consumer",
    ProtoSpan.SPAN_KIND_INTERNAL: "internal",
}
BROKER_URL = os.environ.get("BROKER_URL") or "amqp://guest:guest@127.0.0.1:5672/"


class Collector:
    """An OTLP/HTTP trace collector in the test process: each span the server exports, as a
    dict (trace_id, span_id, parent, name, kind, attributes, service, path)."""

    def __init__(self):
        self.spans: list[dict] = []
        self.lock = threading.Lock()
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                exported = ExportTraceServiceRequest()
                exported.ParseFromString(body)
                collector.add(self.path, exported)
                reply = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add(self, path: str, exported: ExportTraceServiceRequest) -> None:
        for resource_spans in exported.resource_spans:
            resource = attributes_of(resource_spans.resource.attributes)
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    with self.lock:
                        self.spans.append(
                            {
                                "path": path,
                                "service": resource.get("service.name"),
                                "trace_id": span.trace_id.hex(),
                                "span_id": span.span_id.hex(),
                                "parent": span.parent_span_id.hex() or None,
                                "name": span.name,
                                "kind": KINDS[span.kind],
                                "attributes": attributes_of(span.attributes),
                            }
                        )

    def wait_for(self, matches: Callable[[dict], bool], timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [span for span in self.spans if matches(span)]
            if found:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError("no such span exported")

    def children_of(self, span: dict) -> list[dict]:
        with self.lock:
            return [s for s in self.spans if s["parent"] == span["span_id"]]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def attributes_of(key_values) -> dict:
    return {kv.key: getattr(kv.value, kv.value.WhichOneof("value")) for kv in key_values}


def server_span_of(path: str) -> Callable[[dict], bool]:
    return lambda span: span["kind"] == "server" and span["attributes"].get("url.path") == path


@pytest.fixture(scope="module")
def collector() -> Iterator[Collector]:
    started = Collector()
    yield started
    started.close()


@pytest.fixture(scope="module")
def traced(db_url, start_server, collector):
    """A server exporting to the collector, every request sampled. Its 'replica' is the
    primary itself: enough for the replica watch to poll on connections of its own, the
    background queries that must not become traces."""
    url = api_url(db_url)
    return start_server(
        {
            "DATABASE_URL": url,
            "REPLICA_DATABASE_URL": url,
            "JIOKIDZ_ENV": "test",
            "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url,
            "OTEL_BSP_SCHEDULE_DELAY": "50",  # milliseconds between the exporter's batches
        }
    )


def api(server) -> httpx.Client:
    return httpx.Client(base_url=server.base_url + API, timeout=10)


def access_trace(server, request_id: str) -> str | None:
    line = server.log_line(f"[{request_id}]")
    found = re.search(r" trace=([0-9a-f]{32})$", line)
    return found[1] if found else None


def test_a_request_is_one_trace_from_http_to_the_procedure(traced, collector):
    with api(traced) as http:
        product_id = http.get("/products", params={"page_size": 1}).json()["items"][0]["id"]
        assert httpx.get(f"{traced.base_url}/healthz").status_code == 200
        request_id = uuid.uuid4().hex
        answer = http.get(f"/products/{product_id}", headers={"X-Request-ID": request_id})
    assert answer.status_code == 200

    server = collector.wait_for(server_span_of(f"{API}/products/{product_id}"))
    assert server["name"] == f"GET {PRODUCT_ROUTE}"
    assert server["attributes"]["http.route"] == PRODUCT_ROUTE
    assert server["attributes"]["http.response.status_code"] == 200
    assert server["service"] == "jiokidz-api" and server["path"] == "/v1/traces"
    calls = [
        span
        for span in collector.children_of(server)
        if "api.get_product(" in span["attributes"].get("db.statement", "")
    ]
    assert len(calls) == 1, collector.children_of(server)
    assert calls[0]["kind"] == "client" and calls[0]["attributes"]["db.system"] == "postgresql"
    assert calls[0]["trace_id"] == server["trace_id"]
    assert access_trace(traced, request_id) == server["trace_id"]

    time.sleep(0.5)  # the replica watch has polled a few times meanwhile; the batches are out
    with collector.lock:
        spans = list(collector.spans)
    assert not [s for s in spans if s["attributes"].get("url.path") == "/healthz"]
    assert not [s for s in spans if s["kind"] == "client" and s["parent"] is None]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [("/products/999999999", 404, "product_not_found"), ("/no-such-page", 404, "not_found")],
)
def test_a_problem_carries_the_trace_id_of_its_request(traced, collector, path, status, code):
    request_id = uuid.uuid4().hex
    with api(traced) as http:
        problem = assert_problem(http.get(path, headers={"X-Request-ID": request_id}), status, code)
    assert TRACE_ID.fullmatch(problem["trace_id"]), problem
    server = collector.wait_for(server_span_of(API + path))
    assert problem["trace_id"] == server["trace_id"] == access_trace(traced, request_id)
    if code == "product_not_found":  # raised by the procedure: its call is in the trace
        assert [s for s in collector.children_of(server) if s["kind"] == "client"]


def test_a_callers_traceparent_is_continued(traced, collector):
    caller_trace, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    with api(traced) as http:
        problem = assert_problem(
            http.get(
                "/products/999999998",
                headers={"traceparent": f"00-{caller_trace}-{caller_span}-01"},
            ),
            404,
            "product_not_found",
        )
    assert problem["trace_id"] == caller_trace
    server = collector.wait_for(server_span_of(f"{API}/products/999999998"))
    assert (server["trace_id"], server["parent"]) == (caller_trace, caller_span)


def test_an_event_keeps_the_trace_of_its_request_through_the_relay_and_a_consumer(
    traced, collector, replace_worker
):
    """send-otp writes an otp.requested event in its transaction, with the request's
    traceparent; a traced worker (in place of the session's) publishes it within that trace,
    and the otp_sms consumer handles it there, the context carried in the message headers."""
    replace_worker(OTEL_EXPORTER_OTLP_ENDPOINT=collector.url, OTEL_BSP_SCHEDULE_DELAY="50")
    request_id = uuid.uuid4().hex
    with api(traced) as http:
        sent = http.post(
            "/auth/send-otp", json={"phone": new_phone()}, headers={"X-Request-ID": request_id}
        )
    assert sent.status_code == 200, sent.text
    request_trace = access_trace(traced, request_id)
    assert request_trace is not None

    def in_request_trace(kind: str) -> Callable[[dict], bool]:
        return lambda span: span["kind"] == kind and span["trace_id"] == request_trace

    server = collector.wait_for(in_request_trace("server"))
    assert server["attributes"]["http.route"] == f"{API}/auth/send-otp"
    publish = collector.wait_for(in_request_trace("producer"), timeout=20)
    consume = collector.wait_for(in_request_trace("consumer"), timeout=20)
    assert publish["service"] == consume["service"] == "jiokidz-worker"
    assert publish["attributes"]["messaging.destination"].endswith(",otp.requested")
    assert consume["parent"] == publish["span_id"]
    # The consumer's own database calls (its processed-message record) are in the trace too.
    assert [s for s in collector.children_of(consume) if s["kind"] == "client"]


def console_spans(log: str) -> list[dict]:
    """The spans the console exporter wrote, one JSON object a line, among the log lines."""
    spans = []
    for line in log.splitlines():
        if line.startswith('{"name"'):
            span = json.loads(line)
            spans.append(
                {
                    "trace_id": span["context"]["trace_id"].removeprefix("0x"),
                    "span_id": span["context"]["span_id"],
                    "parent": span["parent_id"],
                    "kind": span["kind"],
                    "attributes": span["attributes"],
                    "service": span["resource"]["attributes"]["service.name"],
                }
            )
    return spans


def test_the_console_exporter_writes_each_span_as_a_line(db_url, start_test_server):
    server = start_test_server(
        {"DATABASE_URL": api_url(db_url), "JIOKIDZ_ENV": "test", "OTEL_TRACES_EXPORTER": "console"}
    )
    request_id = uuid.uuid4().hex
    with api(server) as http:
        problem = assert_problem(
            http.get("/products/999999999", headers={"X-Request-ID": request_id}),
            404,
            "product_not_found",
        )
    trace_of_line = access_trace(server, request_id)  # written after the spans have ended
    spans = console_spans(server.log())
    [request] = [
        s
        for s in spans
        if s["kind"] == "SpanKind.SERVER"
        and s["attributes"].get("url.path") == f"{API}/products/999999999"
    ]
    calls = [
        s
        for s in spans
        if s["parent"] == request["span_id"]
        and "api.get_product(" in s["attributes"].get("db.statement", "")
    ]
    assert len(calls) == 1 and calls[0]["kind"] == "SpanKind.CLIENT", spans
    assert problem["trace_id"] == request["trace_id"] == calls[0]["trace_id"] == trace_of_line
    assert request["service"] == "jiokidz-api"


def test_with_tracing_off_nothing_is_added(server, client):
    request_id = uuid.uuid4().hex
    problem = assert_problem(
        client.get("/products/999999999", headers={"X-Request-ID": request_id}),
        404,
        "product_not_found",
    )
    assert "trace_id" not in problem
    assert access_trace(server, request_id) is None
    assert console_spans(server.log()) == []


def test_a_request_left_out_by_sampling_shows_no_trace_id(db_url, start_test_server):
    server = start_test_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "OTEL_TRACES_EXPORTER": "console",
            "OTEL_TRACES_SAMPLER_ARG": "0",
        }
    )
    request_id = uuid.uuid4().hex
    with api(server) as http:
        headers = {"X-Request-ID": request_id, "traceparent": f"00-{'1' * 32}-{'2' * 16}-01"}
        problem = assert_problem(
            http.get("/products/999999999", headers=headers), 404, "product_not_found"
        )
    assert "trace_id" not in problem  # a caller's sampled flag does not force a trace
    assert access_trace(server, request_id) is None
    assert console_spans(server.log()) == []


def test_the_trace_helpers_follow_the_current_span():
    assert current_traceparent() is None and trace_id() is None  # no span: tracing is off
    ids = secrets.token_hex(16), secrets.token_hex(8)
    sampled = SpanContext(int(ids[0], 16), int(ids[1], 16), False, TraceFlags(1))
    with trace.use_span(NonRecordingSpan(sampled)):
        assert current_traceparent() == f"00-{ids[0]}-{ids[1]}-01"
        assert trace_id() == ids[0]
    unsampled = SpanContext(int(ids[0], 16), int(ids[1], 16), False, TraceFlags(0))
    with trace.use_span(NonRecordingSpan(unsampled)):
        assert current_traceparent() == f"00-{ids[0]}-{ids[1]}-00"  # the decision travels
        assert trace_id() is None  # nothing is recorded under that id
    with continue_trace(f"00-{ids[0]}-{ids[1]}-01"):
        continued = trace.get_current_span().get_span_context()
        assert (continued.trace_id, continued.span_id) == (int(ids[0], 16), int(ids[1], 16))
        assert continued.is_remote
        with continue_trace("not a traceparent"):  # changes nothing
            assert trace.get_current_span().get_span_context() == continued
    with continue_trace(None):
        assert current_traceparent() is None


def test_settings_of_tracing():
    assert not tracing_enabled(Settings.from_env({}))
    for env in (
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"},
        {"OTEL_TRACES_EXPORTER": "otlp"},
        {"OTEL_TRACES_EXPORTER": "console"},
    ):
        assert tracing_enabled(Settings.from_env(env)), env
    off = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_TRACES_EXPORTER": "none"}
    assert not tracing_enabled(Settings.from_env(off))
    for env, message in (
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"}, "OTEL_EXPORTER_OTLP_ENDPOINT"),
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, "OTEL_TRACES_EXPORTER"),
        ({"OTEL_TRACES_SAMPLER_ARG": "1.5"}, "OTEL_TRACES_SAMPLER_ARG"),
    ):
        with pytest.raises(SettingsError, match=message):
            Settings.from_env(env)


# A worker's part of a trace, as app/worker.py sets it up: the relay continues the trace an
# outbox row carries, queries and publishes within it; a consumer handles the message.
WORKER_SCRIPT = """
import asyncio, json, sys
import aio_pika, psycopg
from app.settings import Settings
from app.telemetry import continue_trace, current_traceparent, setup_tracing, trace_id

traceparent, database_url, broker_url = sys.argv[1:]
settings = Settings.from_env()
setup_tracing(settings, "jiokidz-worker")
setup_tracing(settings, "jiokidz-worker")  # once per process: this changes nothing

async def main():
    with psycopg.connect(database_url) as conn:
        conn.execute("SELECT 'outside any trace'")
    with continue_trace(traceparent):
        with psycopg.connect(database_url) as conn:
            conn.execute("SELECT 'within the trace'")
    async with await aio_pika.connect(broker_url) as connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        handled = asyncio.get_running_loop().create_future()

        async def handle(message):
            async with message.process():
                header = message.headers.get("traceparent")
                if isinstance(header, bytes):
                    header = header.decode()
                handled.set_result(
                    {"header": header, "trace_id": trace_id(), "current": current_traceparent()}
                )

        await queue.consume(handle)
        with continue_trace(traceparent):
            await channel.default_exchange.publish(aio_pika.Message(b"{}"), queue.name)
        print("HANDLED " + json.dumps(await asyncio.wait_for(handled, 10)), flush=True)

asyncio.run(main())
"""


def test_a_worker_continues_the_trace_through_the_database_and_the_broker(db_url):
    trace_hex, span_hex = secrets.token_hex(16), secrets.token_hex(8)
    finished = subprocess.run(
        [
            sys.executable,
            "-c",
            WORKER_SCRIPT,
            f"00-{trace_hex}-{span_hex}-01",
            api_url(db_url),
            BROKER_URL,
        ],
        cwd=ROOT,
        env={**os.environ, "JIOKIDZ_ENV": "test", "OTEL_TRACES_EXPORTER": "console"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    assert "already instrumented" not in finished.stderr
    spans = console_spans(finished.stdout)
    assert {s["service"] for s in spans} == {"jiokidz-worker"}
    statements = {s["attributes"].get("db.statement"): s for s in spans}
    assert "SELECT 'outside any trace'" not in statements  # a background query: not recorded
    query = statements["SELECT 'within the trace'"]
    assert (query["trace_id"], query["parent"]) == (trace_hex, "0x" + span_hex)

    [publish] = [s for s in spans if s["kind"] == "SpanKind.PRODUCER"]
    [consume] = [s for s in spans if s["kind"] == "SpanKind.CONSUMER"]
    assert (publish["trace_id"], publish["parent"]) == (trace_hex, "0x" + span_hex)
    assert (consume["trace_id"], consume["parent"]) == (trace_hex, publish["span_id"])

    [line] = [line for line in finished.stdout.splitlines() if line.startswith("HANDLED ")]
    handled = json.loads(line.removeprefix("HANDLED "))
    # The message's headers carried the publish span's context; the consumer ran within it.
    assert handled["header"] == f"00-{trace_hex}-{publish['span_id'].removeprefix('0x')}-01"
    assert handled["trace_id"] == trace_hex
    assert handled["current"].startswith(f"00-{trace_hex}-")
