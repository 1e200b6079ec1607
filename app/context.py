"""Per-request context shared by the middleware, the error translator and log lines."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
