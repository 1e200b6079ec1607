"""The application: `uvicorn app.main:app`. Routes come from generated/; this file wires the
runtime around them: settings, the pool, the gateway, health checks and the docs.

The request path is kept lean on purpose (README, "Performance"): RequestContextMiddleware
(request id, access log, body limit, errors as problem+json), then a Starlette router over
the generated routes. FastAPI supplies the Swagger UI page; the OpenAPI document is written
by codegen from api_spec.yaml (generated/openapi.json)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi.openapi.docs import get_swagger_ui_html
from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.db import make_pool
from app.gateway import make_gateway
from app.logging_setup import access_line, configure_logging
from app.middleware import RequestContextMiddleware
from app.ratelimit import OtpIpLimiter
from app.runtime import IndexedRouter
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


class JioKidzApp:
    """The ASGI application. `state` holds what the routes share: settings, pool, gateway..."""

    def __init__(self, settings: Settings):
        self.state = State()
        self.state.settings = settings
        self.state.pool = make_pool(settings)
        self.state.sms = make_sms_backend(settings)
        self.state.gateway = make_gateway(settings)
        self.state.otp_ip_limiter = OtpIpLimiter(settings)
        routes = [
            *ROUTES,
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route(OPENAPI_PATH, openapi, methods=["GET"]),
            Route(DOCS_PATH, docs, methods=["GET"]),
        ]
        self.router = IndexedRouter(routes, lifespan=self.lifespan)
        # The router's app, not the router: Router.__call__ only forwards to it (no middleware
        # of its own), and each layer of coroutines is paid again at every database wait.
        self.asgi = RequestContextMiddleware(self.router.app)

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

    async def __call__(self, scope, receive, send):
        scope["app"] = self  # request.app.state; also makes the router raise its 404/405
        await self.asgi(scope, receive, send)


def create_app(settings: Settings | None = None) -> JioKidzApp:
    configure_logging()
    return JioKidzApp(settings or Settings.from_env())


app = create_app()
