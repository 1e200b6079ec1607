"""Log lines carry the request id: `time level logger [request_id] message`."""

import logging

from app.context import request_id_var


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    root = logging.getLogger("jiokidz")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # The pool says when it loses and regains the database: in the same format, warnings up.
    psycopg_log = logging.getLogger("psycopg")
    psycopg_log.handlers[:] = [handler]
    psycopg_log.setLevel(logging.WARNING)
    psycopg_log.propagate = False
