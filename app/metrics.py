"""Prometheus metrics, served at /metrics (docs/operations.md, "Traces and metrics").

With PROMETHEUS_MULTIPROC_DIR set (scripts/run.sh sets it), prometheus_client keeps each
process's values in files there and /metrics adds up the files of every process: all uvicorn
workers, and the worker process (app/worker.py) when it shares the directory. Without it, the
process serves its own values (tests, a single process).

The HTTP metrics are recorded by the access log middleware (app.middleware.AccessLog), labelled
by route template, never by raw path. The pool gauges are read from psycopg_pool's get_stats()
when /metrics is scraped, and every POOL_SECONDS by each worker in multi-process mode (a scrape
reaches one worker). The broker metrics below are defined here, for app/relay.py and
app/consumers.py to update.
"""

from __future__ import annotations

import asyncio
import hmac
import os

from fastapi import Request
from fastapi.responses import Response
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    multiprocess,
)
from prometheus_client.exposition import choose_encoder
from psycopg_pool import AsyncConnectionPool
from starlette.types import Scope

from app.errors import ApiProblem
from app.settings import SettingsError

MULTIPROC_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# How old another worker's pool gauges may be when one worker answers a scrape.
POOL_SECONDS = 5.0
# Requests that reached no route (an unknown path, or a body refused before routing).
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# No `_created` series beside each counter and histogram: multi-process mode has none either.
disable_created_metrics()

HTTP_LABELS = ["route", "method", "status"]
HTTP_REQUESTS = Counter(
    "jiokidz_http_requests_total",
    "HTTP requests answered, by route template, method and status",
    HTTP_LABELS,
)
HTTP_DURATION = Histogram(
    "jiokidz_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route, method and status",
    HTTP_LABELS,
)

# Connection pools, by pool (primary, replica); summed over the live worker processes.
POOL_SIZE = Gauge(
    "jiokidz_db_pool_connections",
    "Connections the pool holds, in use or idle",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_AVAILABLE = Gauge(
    "jiokidz_db_pool_available_connections",
    "Idle connections in the pool, ready for a request",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_MAX = Gauge(
    "jiokidz_db_pool_max_connections",
    "The most connections the pool may hold (DB_POOL_SIZE per worker)",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_WAITING = Gauge(
    "jiokidz_db_pool_waiting_requests",
    "Requests waiting for a connection",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_TIMEOUTS = Counter(
    "jiokidz_db_pool_timeouts_total",
    "Requests that got no connection within the pool's timeout (answered 503)",
    ["pool"],
)

# The broker's side (app/relay.py, app/consumers.py). A gauge that one process measures for
# all (the relay's view of the outbox, a queue's depth) keeps the latest value written.
EVENTS_PUBLISHED = Counter(
    "jiokidz_events_published_total",
    "Outbox events published to the broker and confirmed, by topic",
    ["topic"],
)
OUTBOX_UNPUBLISHED = Gauge(
    "jiokidz_outbox_unpublished_events",
    "Outbox events committed and not yet published",
    multiprocess_mode="mostrecent",
)
OUTBOX_LAG = Gauge(
    "jiokidz_outbox_lag_seconds",
    "Age of the oldest unpublished outbox event; 0 when none waits",
    multiprocess_mode="mostrecent",
)
QUEUE_DEPTH = Gauge(
    "jiokidz_queue_messages",
    "Messages ready in a broker queue",
    ["queue"],
    multiprocess_mode="mostrecent",
)
MESSAGES_HANDLED = Counter(
    "jiokidz_messages_handled_total",
    "Messages a consumer finished with, by outcome: done, duplicate, retried, dead",
    ["consumer", "outcome"],
)
CONSUMER_FAILURES = Counter(
    "jiokidz_consumer_failures_total",
    "Attempts of a consumer that raised",
    ["consumer"],
)


def multiprocess_dir() -> str | None:
    """PROMETHEUS_MULTIPROC_DIR, as prometheus_client reads it (from the process environment,
    when first imported); None when unset. SettingsError when it is set to anything but a
    directory: prometheus_client would write its files elsewhere."""
    path = os.environ.get(MULTIPROC_DIR_VARIABLE)
    if path is None:
        return None
    if not path or not os.path.isdir(path):
        raise SettingsError(f"{MULTIPROC_DIR_VARIABLE} must name a directory (got {path!r})")
    return path


# Each (route, method, status) series of the two HTTP metrics, once looked up: .labels() costs
# more than the count itself.
_http_series: dict[tuple[str, str, int], tuple] = {}


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    """Count one answered request, labelled by the template of the route that took it."""
    route = getattr(scope.get("route"), "path", None) or UNMATCHED
    method = scope["method"] if scope["method"] in METHODS else "other"
    series = _http_series.get((route, method, status))
    if series is None:
        labels = (route, method, str(status))
        series = (HTTP_REQUESTS.labels(*labels), HTTP_DURATION.labels(*labels))
        _http_series[route, method, status] = series
    requests, duration = series
    requests.inc()
    duration.observe(seconds)


class PoolMetrics:
    """The pool gauges of this process, from each pool's get_stats()."""

    def __init__(self, pools: dict[str, AsyncConnectionPool]):
        self.pools = pools
        self.timeouts_seen = dict.fromkeys(pools, 0)

    def record(self) -> None:
        for name, pool in self.pools.items():
            stats = pool.get_stats()
            POOL_SIZE.labels(name).set(stats.get("pool_size", 0))
            POOL_AVAILABLE.labels(name).set(stats.get("pool_available", 0))
            POOL_MAX.labels(name).set(stats.get("pool_max", 0))
            POOL_WAITING.labels(name).set(stats.get("requests_waiting", 0))
            timeouts = stats.get("requests_errors", 0)
            if timeouts > self.timeouts_seen[name]:
                POOL_TIMEOUTS.labels(name).inc(timeouts - self.timeouts_seen[name])
            self.timeouts_seen[name] = timeouts

    async def run(self) -> None:
        """Record every POOL_SECONDS (multi-process mode), from the start."""
        while True:
            self.record()
            await asyncio.sleep(POOL_SECONDS)

    def forget_process(self) -> None:
        """At shutdown: this process's pool gauges leave the sums."""
        if multiprocess_dir() is not None:
            multiprocess.mark_process_dead(os.getpid())


def exposition(accept: str | None) -> tuple[bytes, str]:
    """The metrics in the format the scraper accepts: every process's in multi-process mode,
    else this one's."""
    path = multiprocess_dir()
    if path is None:
        registry = REGISTRY
    else:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=path)
    encoder, content_type = choose_encoder(accept or "")
    return encoder(registry), content_type


def check_access(token: str | None, production: bool, authorization: str | None) -> None:
    """With METRICS_TOKEN set, /metrics wants it as a bearer token (401 otherwise); without
    it, /metrics is open outside production and not found in production."""
    if token is None:
        if production:
            raise ApiProblem(404, "not_found", "Not Found")
        return
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiProblem(401, "unauthorized", "/metrics needs the metrics token as a bearer token")


async def metrics_endpoint(request: Request) -> Response:
    """GET /metrics: Prometheus's text format (or OpenMetrics, when asked)."""
    state = request.app.state
    check_access(
        state.settings.metrics_token,
        state.settings.is_production,
        request.headers.get("authorization"),
    )
    state.pool_metrics.record()
    body, content_type = exposition(request.headers.get("accept"))
    return Response(body, media_type=content_type)
