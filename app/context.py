"""Per-request context shared by the request pipeline, the error translator and log lines."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
