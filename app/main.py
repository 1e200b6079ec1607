"""The application: `uvicorn app.main:app`. Routes come from generated/; this file wires the
runtime around them (settings, pool, errors, request ids, health checks, OpenAPI)."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.requests import Request
from starlette.responses import JSONResponse

from app import errors
from app.db import make_pool
from app.gateway import make_gateway
from app.logging_setup import configure_logging
from app.middleware import RequestContextMiddleware
from app.ratelimit import OtpIpLimiter
from app.settings import Settings
from app.sms import make_sms_backend
from generated.openapi import INFO, SCHEMAS
from generated.routes import router

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is the stable machine code (API.md).",
    "required": ["type", "title", "status", "code", "detail", "errors"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Conflict"},
        "status": {"type": "integer", "example": 409},
        "code": {"type": "string", "example": "insufficient_stock"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "request_id": {"type": "string"},
    },
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Start even when the database is down: /readyz says so and requests answer 503.
        await app.state.pool.open(wait=False)
        try:
            yield
        finally:
            await app.state.pool.close()
            await app.state.gateway.aclose()

    app = FastAPI(
        title=INFO["title"],
        version=INFO["version"],
        description=INFO["description"],
        docs_url="/api/v1/docs",
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pool = make_pool(settings)
    app.state.sms = make_sms_backend(settings)
    app.state.gateway = make_gateway(settings)
    app.state.otp_ip_limiter = OtpIpLimiter(settings)
    app.include_router(router)
    errors.install(app)
    app.add_middleware(RequestContextMiddleware)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        async with request.app.state.pool.connection(timeout=2) as conn:
            await conn.execute("SELECT 1")
        return JSONResponse({"status": "ready"})

    app.openapi = lambda: _openapi(app)
    return app


def _openapi(app: FastAPI) -> dict:
    if app.openapi_schema is None:
        from generated import routes  # noqa: F401  (the spec's description lives with it)

        schema = get_openapi(
            title=app.title,
            version=app.version,
            routes=app.routes,
            description="Backend of the JioKidz children's store. Money is integer paise "
            "(1 INR = 100 paise). Errors are application/problem+json with a stable `code`. "
            "Log in with /auth/send-otp and /auth/verify-otp, then send "
            "`Authorization: Bearer <access_token>`.",
        )
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {}).update({**SCHEMAS, "Problem": PROBLEM_SCHEMA})
        # FastAPI's own 422 schemas are unused: every 422 is a Problem.
        for name in ("HTTPValidationError", "ValidationError"):
            components["schemas"].pop(name, None)
        components["securitySchemes"] = {
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        }
        app.openapi_schema = schema
    return app.openapi_schema


app = create_app()
