"""Serve an ASGI app with N uvicorn workers, each listening on its own socket bound to the same
port with SO_REUSEPORT, so that the kernel spreads new connections over the workers (by a hash
of each connection's addresses: evenly on average, 16:16 to 21:11 for 32 connections in
`make bench`, which reports the split).

Why not `uvicorn --workers N`: its workers share one listening socket, and the worker that
wakes first accepts a whole burst of waiting connections. Under wrk's 32 keep-alive
connections the split was 6 to 26 in one sample and 11 to 21 in another (`make bench`), so one
worker's Python did most of the work while the other idled: API throughput and p99 then
depended on luck. The parent replaces a worker that dies, stops every worker on SIGINT or
SIGTERM, and gives up if a worker exits by itself before it serves (a broken app or a setting
that fails at import would only fail again).

    python -m app.serve app.main:app --host 0.0.0.0 --port 8000 --workers 2 [--proxy-headers]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import socket
import sys
import time

import uvicorn

BACKLOG = 2048  # uvicorn's default


def listening_socket(host: str, port: int, reuse_port: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, int(reuse_port))
    sock.bind((host, port))
    sock.listen(BACKLOG)
    return sock


class Worker(uvicorn.Server):
    """A uvicorn server that tells the parent once it serves (so the parent can tell a worker
    that failed to start from one that died later)."""

    def __init__(self, config: uvicorn.Config, ready):
        super().__init__(config)
        self.ready = ready

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if self.started:
            self.ready.set()


def run_worker(app: str, host: str, port: int, options: dict, ready) -> None:
    sock = listening_socket(host, port)
    Worker(uvicorn.Config(app, host=host, port=port, **options), ready).run(sockets=[sock])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", help="module:attribute, e.g. app.main:app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--proxy-headers", action="store_true")
    parser.add_argument("--access-log", action="store_true", help="uvicorn's own (off: ours)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    options = {
        "proxy_headers": args.proxy_headers,
        "access_log": args.access_log,
        "log_level": args.log_level,
    }
    # First a plain bind: it fails if anything listens on the port, even another server of
    # ours (with SO_REUSEPORT alone, a forgotten one would silently take half the requests).
    try:
        listening_socket(args.host, args.port, reuse_port=False).close()
    except OSError as exc:
        print(f"serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1

    spawn = multiprocessing.get_context("spawn")
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    def start() -> tuple[multiprocessing.Process, object]:
        ready = spawn.Event()
        process = spawn.Process(
            target=run_worker, args=(args.app, args.host, args.port, options, ready)
        )
        process.start()
        return process, ready

    workers = [start() for _ in range(args.workers)]
    status = 0
    while not stopping:
        time.sleep(0.2)
        for index, (process, ready) in enumerate(workers):
            if process.is_alive() or stopping:
                continue
            # One that exited by itself before serving failed to start: a broken app or setting
            # would only fail again. One killed by a signal (exit code < 0) is replaced.
            if not ready.is_set() and process.exitcode >= 0:
                print(f"serve: worker {process.pid} failed to start", file=sys.stderr)
                stopping, status = True, 1
                break
            exit_code = process.exitcode
            print(f"serve: worker {process.pid} died ({exit_code}); restarting", file=sys.stderr)
            workers[index] = start()
    for process, _ in workers:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
    for process, _ in workers:
        process.join()
    return status


if __name__ == "__main__":
    sys.exit(main())
