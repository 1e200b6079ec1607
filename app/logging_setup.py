"""Log lines carry the request id: `time level logger [request_id] message`."""

import asyncio
import logging
import time

from app.context import request_id_var

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
access_log = logging.getLogger("jiokidz.access")
# An access line as LINE_FORMAT would make it, in one formatting operation.
LINE = f"%s,%03d INFO {access_log.name} [%s] %s %s %s %.1fms\n"
FLUSH_SECONDS = 0.05  # how long an access line may wait to be written with others
MAX_PENDING_LINES = 512


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class AccessLineWriter:
    """The access log's one line per request, in the format of every other line, written to
    the handler's stream without a LogRecord: building and formatting a record cost more than
    the rest of our code for a GET /products/{id} (bench, cProfile). A request only leaves the
    parts of its line; they are formatted and written together every FLUSH_SECONDS, as
    nginx's `access_log ... buffer=` does: a write per request cost about 15 us of the
    worker's 600 (py-spy). A killed worker loses at most that much of its access log, never an
    error line (those go through logging, at once). It obeys the level of the jiokidz.access
    logger (when it writes), so logging configuration can still silence it."""

    def __init__(self, handler: logging.StreamHandler):
        self.handler = handler
        self.second = -1
        self.second_text = ""
        self.pending: list[tuple] = []

    def write(self, request_id: str, method: str, path: str, status, milliseconds: float) -> None:
        now = time.time()
        second = int(now)
        if second != self.second:  # the same text as logging.Formatter's asctime
            self.second = second
            self.second_text = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        pending = self.pending
        pending.append(
            (
                self.second_text,
                int((now - second) * 1000),
                request_id,
                method,
                path,
                status,
                milliseconds,
            )
        )
        if len(pending) == 1:
            try:
                asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)
            except RuntimeError:  # no event loop: nothing would flush it later
                self.flush()
        elif len(pending) >= MAX_PENDING_LINES:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if not pending or not access_log.isEnabledFor(logging.INFO):
            return
        # LINE's % mapped over the batch: the lines are formatted in C, with no Python loop.
        self.handler.stream.write("".join(map(LINE.__mod__, pending)))
        self.handler.stream.flush()


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
