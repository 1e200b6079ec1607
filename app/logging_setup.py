"""Log lines carry the request id: `time level logger [request_id] message`."""

import logging
import time

from app.context import request_id_var

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
access_log = logging.getLogger("jiokidz.access")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class AccessLineWriter:
    """The access log's one line per request, in the format of every other line, written to
    the handler's stream without a LogRecord: building and formatting a record cost more than
    the rest of our code for a GET /products/{id} (bench, cProfile). It obeys the level of the
    jiokidz.access logger, so logging configuration can still silence it."""

    def __init__(self, handler: logging.StreamHandler):
        self.handler = handler
        self.second = -1
        self.second_text = ""

    def write(self, request_id: str, method: str, path: str, status, milliseconds: float) -> None:
        if not access_log.isEnabledFor(logging.INFO):
            return
        now = time.time()
        second = int(now)
        if second != self.second:  # the same text as logging.Formatter's asctime
            self.second = second
            self.second_text = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        millis = int((now - second) * 1000)
        stream = self.handler.stream
        stream.write(
            f"{self.second_text},{millis:03d} INFO jiokidz.access [{request_id}] "
            f"{method} {path} {status} {milliseconds:.1f}ms\n"
        )
        stream.flush()


handler = logging.StreamHandler()
handler.addFilter(RequestIdFilter())
handler.setFormatter(logging.Formatter(LINE_FORMAT))
access_line = AccessLineWriter(handler)


def configure_logging(level: int = logging.INFO) -> None:
    # Our lines name neither source line, thread nor process: skip gathering them for every
    # record (the "Optimization" section of Python's logging HOWTO).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root = logging.getLogger("jiokidz")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # The pool says when it loses and regains the database: in the same format, warnings up.
    psycopg_log = logging.getLogger("psycopg")
    psycopg_log.handlers[:] = [handler]
    psycopg_log.setLevel(logging.WARNING)
    psycopg_log.propagate = False
