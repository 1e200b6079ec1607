"""The application factory: `uvicorn app.main:app` (or `--factory app.main:create_app`).

The routes come from generated/routes.py; this file wires the standard parts around them:
settings, the pool and the outside world (payment gateway, rate limits) in the lifespan's
app.state, the exception handlers (app.errors), the middleware (request ids, access log and
request metrics, body limit), health checks, /metrics (app.metrics), traces (app.telemetry),
and the documentation (app.docs) with Swagger UI served by the app."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import uuid4

import redis.asyncio as aioredis
from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline

from app.cache import CatalogCache
from app.db import make_pool
from app.docs import install_openapi
from app.errors import install_handlers
from app.gateway import make_gateway
from app.logs import configure_logging
from app.metrics import PoolMetrics, metrics_endpoint, multiprocess_dir
from app.middleware import AccessLog, BodyLimit, NoStoreByDefault
from app.ratelimit import OtpIpLimiter, WriteLimiter
from app.replica import ReadRouter
from app.settings import Settings
from app.telemetry import flush_traces, setup_tracing, tracing_enabled
from generated.routes import API_DESCRIPTION, API_TITLE, API_VERSION, router

DOCS_PATH, OPENAPI_PATH = "/api/v1/docs", "/api/v1/openapi.json"
# A client-sent request id is kept only when it is short and plain, so it is safe to log
# and echo; otherwise a new one is made.
ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Probes and scrapes make no traces.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def create_app(settings: Settings | None = None) -> FastAPI:
    configure_logging()
    settings = settings or Settings.from_env()
    metrics_dir = multiprocess_dir()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        # Before the first connection: psycopg's connections are instrumented as they are made.
        setup_tracing(settings, "jiokidz-api")
        app.state.pool = make_pool(settings)
        app.state.gateway = make_gateway(settings)
        app.state.otp_ip_limiter = OtpIpLimiter(settings)
        app.state.write_limiter = WriteLimiter(settings)
        redis = (
            aioredis.from_url(settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
            if settings.redis_url
            else None
        )
        caching = redis is not None and settings.catalog_cache_seconds > 0
        app.state.cache = CatalogCache(settings, redis) if caching else None
        app.state.router = ReadRouter(
            settings,
            app.state.pool,
            redis,
            marks=caching or settings.replica_database_url is not None,
        )
        pools = {"primary": app.state.pool}
        if app.state.router.replica is not None:
            pools["replica"] = app.state.router.replica
        app.state.pool_metrics = PoolMetrics(pools)
        # Start even when the database is down: /readyz says so and requests answer 503.
        await app.state.pool.open(wait=False)
        await app.state.router.open()
        if app.state.cache is not None:
            app.state.cache.listener.start()
        # In multi-process mode a scrape reaches one worker: each keeps its gauges fresh.
        pool_recorder = (
            asyncio.create_task(app.state.pool_metrics.run(), name="pool-metrics")
            if metrics_dir is not None
            else None
        )
        try:
            yield
        finally:
            if pool_recorder is not None:
                pool_recorder.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await pool_recorder
                app.state.pool_metrics.forget_process()
            if app.state.cache is not None:
                await app.state.cache.listener.stop()
            await app.state.router.close()
            await app.state.pool.close()
            await app.state.gateway.aclose()
            await app.state.write_limiter.aclose()
            if redis is not None:
                await redis.aclose()
            flush_traces()

    # FastAPI serving Swagger UI's files itself (fastapi-offline) instead of from a CDN.
    app = FastAPIOffline(
        title=API_TITLE,
        version=API_VERSION,
        description=API_DESCRIPTION,
        openapi_url=OPENAPI_PATH,
        docs_url=DOCS_PATH,
        redoc_url=None,
        static_url="/api/v1/docs-assets",
        lifespan=lifespan,
        # FastAPI's native OpenTelemetry makes the HTTP server spans, on the tracer provider
        # app.telemetry sets up; off entirely unless the settings ask for traces. Its metrics
        # and logs stay off: the metrics are Prometheus's (app.metrics), the logs ours.
        telemetry={
            "tracing": tracing_enabled(settings),
            "metrics": False,
            "logs": False,
            "operation_spans": False,
            "exclude": lambda scope: scope["path"] in UNTRACED_PATHS,
        },
    )
    app.include_router(router)
    app.add_api_route("/healthz", healthz, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/readyz", readyz, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/metrics", metrics_endpoint, methods=["GET"], include_in_schema=False)
    install_handlers(app, [route for route in router.routes if isinstance(route, APIRoute)])
    install_openapi(app)
    # The last added runs first: the request id, then the access line and request metrics,
    # then the body limit, then Cache-Control.
    app.add_middleware(NoStoreByDefault)
    app.add_middleware(BodyLimit)
    app.add_middleware(AccessLog)
    app.add_middleware(
        CorrelationIdMiddleware,
        header_name="X-Request-ID",
        generator=lambda: uuid4().hex,
        validator=ACCEPTABLE_REQUEST_ID.fullmatch,
    )
    return app


async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """Ready when the primary answers; the replica's state and lag and whether the catalog
    cache is in use are reported, not required (reads fall back to the primary)."""
    state = request.app.state
    async with state.pool.connection(timeout=2) as conn:
        await conn.execute("SELECT 1")
    cache = "off" if state.cache is None else "on" if state.cache.usable else "skipped"
    return JSONResponse({"status": "ready", "replica": state.router.report(), "cache": cache})


def openapi_text() -> str:
    """The document as generated/openapi.json pins it (make codegen writes it)."""
    document = create_app(Settings.from_env({})).openapi()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


app = create_app()
