"""Log lines carry the request id: `time level logger [request_id] message`, configured with
the logging module's dictConfig and asgi-correlation-id's filter."""

from __future__ import annotations

import logging.config

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"


def configure_logging(level: int = logging.INFO) -> None:
    handler = {"handlers": ["stderr"], "propagate": False}
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {
                "request_id": {
                    "()": "asgi_correlation_id.CorrelationIdFilter",
                    "default_value": "-",
                }
            },
            "formatters": {"line": {"format": LINE_FORMAT}},
            "handlers": {
                "stderr": {
                    "class": "logging.StreamHandler",
                    "filters": ["request_id"],
                    "formatter": "line",
                }
            },
            "loggers": {
                "jiokidz": {**handler, "level": level},
                # The pool says when it loses and regains the database: warnings up.
                "psycopg": {**handler, "level": logging.WARNING},
                "asgi_correlation_id": {**handler, "level": logging.WARNING},
            },
        }
    )
