"""Prometheus metrics at /metrics over real HTTP (docs/operations.md, "Traces and metrics"):
requests counted by route template, method and status; the pool gauges; the guard of
production; and, under `uvicorn --workers 2` with PROMETHEUS_MULTIPROC_DIR, one sum over the
workers whichever of them answers the scrape."""

from __future__ import annotations

import re
import shutil
import time
import uuid
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.parser import text_string_to_metric_families

from app import metrics
from app.settings import Settings, SettingsError
from tests.conftest import API, api_url, assert_problem, new_phone
from tests.test_settings import PRODUCTION

PRODUCT_ROUTE = f"{API}/products/{{product_id}}"
POOLS = ("primary", "replica")
METRICS_TOKEN = "metrics-token-" + "x" * 20

Samples = dict[tuple[str, frozenset], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(base_url: str, **headers: str) -> Samples:
    """/metrics, on a connection of its own (so, with several workers, any of them)."""
    response = httpx.get(f"{base_url}/metrics", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return parse(response.text)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests_of(samples: Samples, route: str, method: str, status: int) -> float:
    return value(
        samples, "jiokidz_http_requests_total", route=route, method=method, status=str(status)
    )


def test_requests_are_counted_by_route_template_method_and_status(server, client):
    ids = [item["id"] for item in client.get("/products", params={"page_size": 2}).json()["items"]]
    stray = f"/no-such-page-{uuid.uuid4().hex}"
    before = scrape(server.base_url)

    for product_id in ids:
        assert client.get(f"/products/{product_id}").status_code == 200
    assert_problem(client.get("/products/999999999"), 404, "product_not_found")
    assert_problem(client.get(stray), 404, "not_found")
    assert_problem(client.delete("/products"), 405, "method_not_allowed")
    server.log_line(f"DELETE {API}/products 405")  # counted as its access line is written

    response = httpx.get(f"{server.base_url}/metrics", timeout=10)
    after = parse(response.text)

    def grew(name: str, route: str, method: str, status: int) -> float:
        labels = {"route": route, "method": method, "status": str(status)}
        return value(after, name, **labels) - value(before, name, **labels)

    counter, histogram = "jiokidz_http_requests_total", "jiokidz_http_request_duration_seconds"
    assert grew(counter, PRODUCT_ROUTE, "GET", 200) == len(ids) == 2
    assert grew(histogram + "_count", PRODUCT_ROUTE, "GET", 200) == 2
    assert grew(histogram + "_sum", PRODUCT_ROUTE, "GET", 200) > 0
    bucket = {"route": PRODUCT_ROUTE, "method": "GET", "status": "200", "le": "+Inf"}
    assert value(after, histogram + "_bucket", **bucket) == value(
        after, histogram + "_count", **{k: v for k, v in bucket.items() if k != "le"}
    )
    assert grew(counter, PRODUCT_ROUTE, "GET", 404) == 1
    assert grew(counter, metrics.UNMATCHED, "GET", 404) == 1
    assert grew(counter, f"{API}/products", "DELETE", 405) == 1
    # Raw paths never become labels: one series per template, whatever the ids.
    for product_id in ids:
        assert f'{API}/products/{product_id}"' not in response.text
    assert stray not in response.text


def test_pool_gauges_of_the_primary_and_the_replica(db_url, start_test_server, server):
    """DB_POOL_SIZE=3 for each pool; the 'replica' is the same database here, enough for its
    pool to exist (the replica tests use a real standby)."""
    url = api_url(db_url)
    env = {"DATABASE_URL": url, "REPLICA_DATABASE_URL": url, "JIOKIDZ_ENV": "test"}
    replicated = start_test_server({**env, "DB_POOL_SIZE": "3"})
    deadline = time.monotonic() + 10
    while True:  # the pools fill in the background
        samples = scrape(replicated.base_url)
        sizes = [value(samples, "jiokidz_db_pool_connections", pool=p) for p in POOLS]
        if sizes == [3, 3] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for pool in POOLS:
        assert value(samples, "jiokidz_db_pool_max_connections", pool=pool) == 3
        assert value(samples, "jiokidz_db_pool_connections", pool=pool) == 3
        assert value(samples, "jiokidz_db_pool_available_connections", pool=pool) == 3
        assert value(samples, "jiokidz_db_pool_waiting_requests", pool=pool) == 0
        assert ("jiokidz_db_pool_waiting_requests", frozenset({("pool", pool)})) in samples
    # The session's server has no replica: the primary's pool alone, of the default size.
    pools = {
        labels: number
        for (name, labels), number in scrape(server.base_url).items()
        if name == "jiokidz_db_pool_max_connections"
    }
    assert pools == {frozenset({("pool", "primary")}): Settings.from_env({}).db_pool_size}


def test_the_broker_metrics_are_defined_for_the_worker(server):
    """What app/relay.py and app/consumers.py update: their names, types and labels."""
    families = {
        family.name: family
        for family in text_string_to_metric_families(
            httpx.get(f"{server.base_url}/metrics", timeout=10).text
        )
    }
    expected = {
        "jiokidz_events_published": "counter",
        "jiokidz_outbox_unpublished_events": "gauge",
        "jiokidz_outbox_lag_seconds": "gauge",
        "jiokidz_queue_messages": "gauge",
        "jiokidz_messages_handled": "counter",
        "jiokidz_consumer_failures": "counter",
    }
    assert {name: families[name].type for name in expected} == expected
    metrics.EVENTS_PUBLISHED.labels(topic="order.placed")
    metrics.QUEUE_DEPTH.labels(queue="jiokidz.refunds")
    metrics.MESSAGES_HANDLED.labels(consumer="refunds", outcome="done")
    metrics.CONSUMER_FAILURES.labels(consumer="refunds")
    with pytest.raises(ValueError):
        metrics.MESSAGES_HANDLED.labels(consumer="refunds")  # the outcome is a label too


def production_env(db_url: str, **extra: str) -> dict[str, str]:
    return {**PRODUCTION, "DATABASE_URL": api_url(db_url), **extra}


def test_production_hides_metrics_without_a_token(db_url, start_test_server):
    server = start_test_server(production_env(db_url))
    response = httpx.get(f"{server.base_url}/metrics", timeout=10)
    assert_problem(response, 404, "not_found")
    # The same answer with any token: there is none to guess.
    guessed = httpx.get(
        f"{server.base_url}/metrics", headers={"Authorization": "Bearer x"}, timeout=10
    )
    assert_problem(guessed, 404, "not_found")


@pytest.mark.parametrize("env", ["production", "test"])
def test_a_metrics_token_is_asked_for_as_a_bearer_token(db_url, start_test_server, env):
    extra = {"METRICS_TOKEN": METRICS_TOKEN}
    server = start_test_server(
        production_env(db_url, **extra)
        if env == "production"
        else {"DATABASE_URL": api_url(db_url), "JIOKIDZ_ENV": "test", **extra}
    )
    url = f"{server.base_url}/metrics"
    for authorization in (None, "Bearer wrong-token", f"Basic {METRICS_TOKEN}", METRICS_TOKEN):
        headers = {"Authorization": authorization} if authorization else {}
        refused = httpx.get(url, headers=headers, timeout=10)
        problem = assert_problem(refused, 401, "unauthorized")
        assert refused.headers["www-authenticate"] == "Bearer"
        assert METRICS_TOKEN not in refused.text, problem
    allowed = httpx.get(url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10)
    assert allowed.status_code == 200
    assert "jiokidz_http_requests_total" in allowed.text


def test_settings_of_metrics(monkeypatch, tmp_path):
    with pytest.raises(SettingsError, match="METRICS_TOKEN of at least 16"):
        Settings.from_env({**PRODUCTION, "METRICS_TOKEN": "short"})
    assert Settings.from_env({"METRICS_TOKEN": "short"}).metrics_token == "short"  # not prod
    monkeypatch.setenv(metrics.MULTIPROC_DIR_VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(SettingsError, match="PROMETHEUS_MULTIPROC_DIR must name a directory"):
        metrics.multiprocess_dir()
    monkeypatch.setenv(metrics.MULTIPROC_DIR_VARIABLE, str(tmp_path))
    assert metrics.multiprocess_dir() == str(tmp_path)
    monkeypatch.delenv(metrics.MULTIPROC_DIR_VARIABLE)
    assert metrics.multiprocess_dir() is None


def per_process(directory: Path, scratch: Path) -> dict[int, Samples]:
    """Each process's own samples, from its files alone (prometheus_client's collector over a
    copy of them)."""
    pids = {int(m[1]) for f in directory.glob("*.db") if (m := re.search(r"_(\d+)\.db$", f.name))}
    result = {}
    for pid in pids:
        own = scratch / str(pid)
        own.mkdir(parents=True, exist_ok=True)
        for file in directory.glob(f"*_{pid}.db"):
            shutil.copy(file, own / file.name)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(own))
        result[pid] = parse(generate_latest(registry).decode())
        shutil.rmtree(own)
    return result


def test_two_workers_are_counted_together(db_url, start_test_server, tmp_path):
    """Requests on new connections land on either worker (the kernel chooses); each worker
    writes its own files, and whichever worker answers /metrics reports the sum of both.
    The pool gauges add up too, and a worker that stops takes its gauges with it."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    server = start_test_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "DB_POOL_SIZE": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(directory),
        },
        ("--workers", "2"),
    )

    def unmatched(samples: Samples) -> float:
        return requests_of(samples, metrics.UNMATCHED, "GET", 404)

    sent = 0
    workers: dict[int, Samples] = {}
    while sent < 600:
        for _ in range(20):  # a new connection each, so that either worker may take it
            assert httpx.get(f"{server.base_url}/stray-{sent}", timeout=10).status_code == 404
            sent += 1
        time.sleep(0.2)  # the last access lines (and counts) are written
        workers = per_process(directory, tmp_path / "scratch")
        if sum(1 for samples in workers.values() if unmatched(samples) > 0) >= 2:
            break
    counts = sorted(unmatched(samples) for samples in workers.values())
    assert len([c for c in counts if c > 0]) == 2, f"one worker took all {sent}: {counts}"
    assert sum(counts) == sent

    for _ in range(6):  # either worker may answer each scrape: every answer is the sum
        samples = scrape(server.base_url)
        assert unmatched(samples) == sent
        assert value(samples, "jiokidz_db_pool_max_connections", pool="primary") == 2 * 2

    server.stop()  # uvicorn stops its workers; each leaves the pool sums as it goes
    assert list(directory.glob("gauge_livesum_*.db")) == []
    assert list(directory.glob("counter_*.db")), "the counts stay, for the next scrape"


def test_the_workers_metrics_are_in_the_web_tiers_scrape(
    db_url, start_test_server, replace_worker, tmp_path
):
    """The worker process (app/worker.py) started with the same PROMETHEUS_MULTIPROC_DIR, as
    `make run` starts it: what the relay and the consumers count shows in the web tier's
    /metrics."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    worker = replace_worker(PROMETHEUS_MULTIPROC_DIR=str(directory))
    server = start_test_server(
        {
            "DATABASE_URL": api_url(db_url),
            "JIOKIDZ_ENV": "test",
            "PROMETHEUS_MULTIPROC_DIR": str(directory),
        }
    )
    sent = httpx.post(
        f"{server.base_url}{API}/auth/send-otp", json={"phone": new_phone()}, timeout=10
    )
    assert sent.status_code == 200, sent.text

    queue = f"{worker.env['BROKER_PREFIX']}.otp_sms"
    deadline = time.monotonic() + 20
    while True:
        samples = scrape(server.base_url)
        published = value(samples, "jiokidz_events_published_total", topic="otp.requested")
        handled = value(
            samples, "jiokidz_messages_handled_total", consumer="otp_sms", outcome="done"
        )
        if (published and handled) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert published >= 1 and handled >= 1
    assert ("jiokidz_queue_messages", frozenset({("queue", queue)})) in samples
