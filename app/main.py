"""The application: `uvicorn app.main:app`. Routes come from generated/; this file wires the
runtime around them: settings, the pool, the gateway, health checks and the docs.

The request path is kept lean on purpose (README, "Performance"): app.pipeline (request id,
access log, body limit, errors as problem+json) asks the router for the route's handler and
sends the answer the handler returns. FastAPI supplies the Swagger UI page; the OpenAPI
document is written by codegen from api_spec.yaml (generated/openapi.json)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace

from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.db import make_pool
from app.gateway import make_gateway
from app.logging_setup import access_line, configure_logging
from app.pipeline import RequestPipeline
from app.ratelimit import OtpIpLimiter
from app.runtime import IndexedRouter, route
from app.settings import Settings
from app.sms import make_sms_backend
from generated.routes import ROUTES

OPENAPI_JSON = (Path(__file__).resolve().parent.parent / "generated" / "openapi.json").read_bytes()
DOCS_PATH, OPENAPI_PATH = "/api/v1/docs", "/api/v1/openapi.json"


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    async with request.app.state.pool.connection(timeout=2) as conn:
        await conn.execute("SELECT 1")
    return JSONResponse({"status": "ready"})


async def openapi(request: Request) -> Response:
    return Response(OPENAPI_JSON, media_type="application/json")


async def docs(request: Request) -> Response:
    return get_swagger_ui_html(openapi_url=OPENAPI_PATH, title="JioKidz API")


class JioKidzApp(RequestPipeline):
    """The ASGI application (its __call__ is app.pipeline's). `state` holds what the routes
    share: settings, pool, gateway..."""

    def __init__(self, settings: Settings):
        # A plain namespace, not Starlette's State: State finds its attributes through
        # __getattr__, after the normal lookup has failed with an AttributeError whose message
        # is formatted, at every request.app.state.pool (the pool, the settings...).
        self.state = SimpleNamespace()
        self.state.settings = settings
        self.state.pool = make_pool(settings)
        self.state.sms = make_sms_backend(settings)
        self.state.gateway = make_gateway(settings)
        self.state.otp_ip_limiter = OtpIpLimiter(settings)
        routes = [
            *ROUTES,
            # HEAD too, for load balancers and uptime checks that probe with it.
            route("/healthz", {"GET": healthz, "HEAD": healthz}),
            route("/readyz", {"GET": readyz, "HEAD": readyz}),
            route(OPENAPI_PATH, {"GET": openapi}),
            route(DOCS_PATH, {"GET": docs}),
        ]
        self.router = IndexedRouter(routes, lifespan=self.lifespan)

    @asynccontextmanager
    async def lifespan(self, router):
        # Start even when the database is down: /readyz says so and requests answer 503.
        await self.state.pool.open(wait=False)
        try:
            yield
        finally:
            await self.state.pool.close()
            await self.state.gateway.aclose()
            access_line.flush()


def create_app(settings: Settings | None = None) -> JioKidzApp:
    configure_logging()
    return JioKidzApp(settings or Settings.from_env())


app = create_app()
