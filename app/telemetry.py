"""OpenTelemetry traces: one trace from the HTTP request through its procedure calls, and on
through the broker (the relay publishes, the consumers handle, with the context in each
message's headers).

setup_tracing(settings, service_name) turns it on for the process: the web app's lifespan
calls it ("jiokidz-api"), and so does the worker ("jiokidz-worker"). Off by default, at no cost:
nothing is instrumented and FastAPI's own HTTP spans stay switched off (app.main). It is on
when OTEL_EXPORTER_OTLP_ENDPOINT names a collector (OTLP over HTTP) or OTEL_TRACES_EXPORTER
asks for `otlp` or `console` (docs/operations.md, "Traces and metrics").

- HTTP server spans: FastAPI's native telemetry (app.main), on the global tracer provider set
  here; a client's `traceparent` header is continued.
- Procedure calls: opentelemetry-instrumentation-psycopg wraps psycopg's connect functions, so
  every connection made afterwards (the pools' included) runs its statements in child spans.
- RabbitMQ: opentelemetry-instrumentation-aio-pika puts the context in the headers of every
  message published (Exchange.publish) and continues it in Queue.consume callbacks.

Sampling: a request (a span without a parent, or with a remote one) is kept with probability
OTEL_TRACES_SAMPLER_ARG, decided on its trace id, so every process judges one trace alike; a
local child follows its parent. A database call with no span around it (the replica watch, the
catalog listener, the relay's polls) is not recorded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from opentelemetry import context, trace
from opentelemetry.trace import SpanKind, format_trace_id
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from app.settings import Settings

log = logging.getLogger("jiokidz.telemetry")
_W3C = TraceContextTextMapPropagator()
_lock = threading.Lock()
_provider = None  # the process's TracerProvider, once setup_tracing has made it


def tracing_enabled(settings: Settings) -> bool:
    """Whether the settings ask for traces: an exporter named, or a collector's endpoint."""
    exporter = settings.otel_traces_exporter
    if exporter is None:
        return settings.otel_exporter_otlp_endpoint is not None
    return exporter != "none"


def setup_tracing(settings: Settings, service_name: str) -> None:
    """Trace this process when the settings ask for it: the global tracer provider with its
    exporter, and the psycopg and aio-pika instrumentations. Once per process; later calls
    do nothing. Call it before the first database connection is made."""
    global _provider
    if not tracing_enabled(settings):
        return
    with _lock:
        if _provider is not None:
            return
        # The SDK, the exporters and the instrumentations load only when tracing is on.
        from opentelemetry.instrumentation.aio_pika import AioPikaInstrumentor
        from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

        ratio = TraceIdRatioBased(settings.otel_traces_sampler_arg)
        provider = TracerProvider(
            resource=Resource.create(
                {"service.name": service_name, "deployment.environment.name": settings.env}
            ),
            # A caller's sampled flag is not trusted: the ratio decides on the trace id.
            sampler=ParentBased(
                root=_requests_only(ratio),
                remote_parent_sampled=ratio,
                remote_parent_not_sampled=ratio,
            ),
        )
        provider.add_span_processor(_span_processor(settings))
        trace.set_tracer_provider(provider)
        PsycopgInstrumentor().instrument(tracer_provider=provider)
        AioPikaInstrumentor().instrument(tracer_provider=provider)
        _provider = provider
        log.info(
            "tracing on: %s, %s of requests",
            settings.otel_traces_exporter or "otlp",
            settings.otel_traces_sampler_arg,
        )


def flush_traces() -> None:
    """Send the spans still waiting in the exporter's queue (at shutdown)."""
    if _provider is not None:
        _provider.force_flush(timeout_millis=5000)


def _span_processor(settings: Settings):
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
    )

    if settings.otel_traces_exporter == "console":
        # One JSON object a line on stdout, as each span ends: for development.
        return SimpleSpanProcessor(
            ConsoleSpanExporter(formatter=lambda span: span.to_json(indent=None) + "\n")
        )
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    # The exporter reads the rest of the standard OTEL_EXPORTER_OTLP_* variables itself
    # (headers, timeout, compression, certificates), and the batch its OTEL_BSP_* ones.
    base = settings.otel_exporter_otlp_endpoint
    endpoint = base.rstrip("/") + "/v1/traces" if base else None
    return BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint))


def _requests_only(ratio):
    """The root sampler: `ratio`, except that a client call (a database statement) with no
    span around it is dropped: it is a background poll, not part of any request."""
    from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult

    class RequestsOnly(Sampler):
        def should_sample(
            self,
            parent_context: context.Context | None,
            trace_id: int,
            name: str,
            kind: SpanKind | None = None,
            attributes=None,
            links: Sequence | None = None,
            trace_state=None,
        ) -> SamplingResult:
            if kind is SpanKind.CLIENT:
                return SamplingResult(Decision.DROP)
            return ratio.should_sample(
                parent_context, trace_id, name, kind, attributes, links, trace_state
            )

        def get_description(self) -> str:
            return f"RequestsOnly{{{ratio.get_description()}}}"

    return RequestsOnly()


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span (`00-<trace id>-<span id>-<flags>`), to carry
    the trace where headers cannot (an outbox row); None when there is no valid span, as
    when tracing is off. An unsampled span's traceparent is given too: its flags tell the
    next process not to record the trace either."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier.get("traceparent")


def trace_id() -> str | None:
    """The current span's trace id as 32 hex digits, when that trace is being recorded; None
    otherwise (tracing off, no span, or a request left out by sampling)."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid or not span_context.trace_flags.sampled:
        return None
    return format_trace_id(span_context.trace_id)


@contextmanager
def continue_trace(traceparent: str | None) -> Iterator[None]:
    """Within the block, the trace that `traceparent` (from current_traceparent) names is the
    current context: spans started there (a publish, a procedure call) join it. Nothing
    changes for None or a malformed value."""
    if not traceparent:
        yield
        return
    token = context.attach(_W3C.extract({"traceparent": traceparent}, context.get_current()))
    try:
        yield
    finally:
        context.detach(token)
