"""Serve an ASGI app with N uvicorn workers, the parent accepting every connection and handing
it to the worker that holds the fewest open connections, so that 32 keep-alive connections
arrive 16:16 (`make bench` reports the split).

Why not `uvicorn --workers N`: its workers share one listening socket, and the worker that
wakes first accepts the whole burst of waiting connections, and keeps them: under wrk's 32
keep-alive connections the split was 6 to 26 in one sample and 11 to 21 in another, so one
worker's Python did most of the work while the other idled. A socket per worker
(SO_REUSEPORT, used here before) lets the kernel hash each connection to one of them: 16:16
only on average, 21:11 in some runs. Workers taking turns at one socket balanced them, but a
busy worker is slow to take its turn: 32 connections took 0.75 s to be accepted under load.
The parent does nothing else, so it accepts at once; a worker picks up what it was handed
(the connection's descriptor, over a Unix socket) at its own pace, as from a queue of its
own. Behind a proxy that keeps a few long connections open, that balance is the difference
between two busy cores and one.

The parent replaces a worker that dies, stops every worker on SIGINT or SIGTERM, and gives up
if a worker exits by itself before it serves (a broken app or a setting that fails at import
would only fail again).

    python -m app.serve app.main:app --host 0.0.0.0 --port 8000 --workers 2 [--proxy-headers]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import multiprocessing
import os
import select
import signal
import socket
import sys
import time
from typing import Any

import uvicorn

BACKLOG = 2048  # uvicorn's default
# A worker that leaves a handed connection untaken this long is passed over until it takes it.
STUCK_SECONDS = 0.1


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.setblocking(False)
    return sock


class OpenConnections(set):
    """uvicorn's set of a worker's open connections (its protocols add and discard themselves),
    which also counts, where the parent reads it, how many it has closed."""

    def __init__(self, tally: WorkerTally):
        super().__init__()
        self.tally = tally

    def discard(self, connection) -> None:
        if connection in self:  # uvicorn may discard a connection twice
            super().discard(connection)
            self.tally.closed_one()


class WorkerTally:
    """What a worker has done with the connections handed to it, in memory the parent reads:
    how many it has taken from its channel and how many it has closed (each written by the
    worker alone, the parent's own count of what it handed by the parent alone)."""

    def __init__(self, taken, closed, index: int):
        self.taken, self.closed, self.index = taken, closed, index
        taken[index] = closed[index] = 0

    def took_one(self) -> None:
        self.taken[self.index] += 1

    def closed_one(self) -> None:
        self.closed[self.index] += 1


class Worker(uvicorn.Server):
    """A uvicorn server that serves the connections the parent hands it over `channel`, and
    tells the parent once it serves (so the parent can tell a worker that failed to start from
    one that died later)."""

    def __init__(self, config: uvicorn.Config, ready, channel: socket.socket, tally: WorkerTally):
        super().__init__(config)
        self.ready, self.channel, self.tally = ready, channel, tally
        channel.setblocking(False)
        self.server_state.connections = OpenConnections(tally)

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=[])  # no listener of uvicorn's: the parent accepts
        if self.started:
            loop = asyncio.get_running_loop()
            loop.add_reader(self.channel.fileno(), self.take_handed)
            self.ready.set()

    async def shutdown(self, sockets=None) -> None:
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        await super().shutdown(sockets)

    def take_handed(self) -> None:
        """Serve each connection handed over the channel (one message each), as uvicorn's own
        listener would."""
        loop = asyncio.get_running_loop()
        protocol = functools.partial(
            self.config.http_protocol_class,
            config=self.config,
            server_state=self.server_state,
            app_state=self.lifespan.state,
        )
        while True:
            try:
                message, descriptors, _, _ = socket.recv_fds(self.channel, 1, 1)
            except BlockingIOError:
                return
            if not message:  # the parent has gone: no more connections will come
                loop.remove_reader(self.channel.fileno())
                return
            for descriptor in descriptors:
                self.tally.took_one()
                connection = socket.socket(fileno=descriptor)
                connection.setblocking(False)
                loop.create_task(serve_connection(loop, protocol, connection))


async def serve_connection(loop, protocol, connection: socket.socket) -> None:
    try:
        await loop.connect_accepted_socket(protocol, connection)
    except OSError:  # the client went away before the worker took its connection
        connection.close()


def run_worker(app: str, channel, taken, closed, index: int, options: dict, ready) -> None:
    config = uvicorn.Config(app, **options)
    Worker(config, ready, channel, WorkerTally(taken, closed, index)).run()


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
        "host": args.host,  # for uvicorn's "running on" line
        "port": args.port,
        "proxy_headers": args.proxy_headers,
        "access_log": args.access_log,
        "log_level": args.log_level,
    }
    try:
        listener = listening_socket(args.host, args.port)
    except OSError as exc:
        print(f"serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return Supervisor(args.app, listener, args.workers, options).run()


class Supervisor:
    """The parent: accepts, hands each connection to the worker holding the fewest, and keeps
    the workers running. A worker that has left a handed connection untaken for
    STUCK_SECONDS (stopped, or busy that long) is passed over until it catches up."""

    def __init__(self, app: str, listener: socket.socket, workers: int, options: dict):
        self.app, self.listener, self.options = app, listener, options
        self.spawn = multiprocessing.get_context("spawn")
        self.worker_count = workers
        self.handed = [0] * workers
        self.untaken_since: list[float | None] = [None] * workers
        self.taken = self.spawn.RawArray("q", workers)  # each worker writes its own
        self.closed = self.spawn.RawArray("q", workers)
        self.workers: list[tuple[multiprocessing.Process, Any, socket.socket]] = []
        self.stopping = False

    def start(self, index: int) -> tuple[multiprocessing.Process, Any, socket.socket]:
        # SEQPACKET: one message per connection, and an end the worker sees when we close.
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ready = self.spawn.Event()
        process = self.spawn.Process(
            target=run_worker,
            args=(self.app, theirs, self.taken, self.closed, index, self.options, ready),
        )
        self.handed[index] = self.taken[index] = self.closed[index] = 0
        self.untaken_since[index] = None
        process.start()
        theirs.close()
        return process, ready, ours

    def stop(self, signum, frame) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        self.workers = [self.start(index) for index in range(self.worker_count)]
        status = 0
        while not self.stopping and not status:
            # Accept only while a worker serves; until then connections wait in the backlog.
            waiting = [self.listener] if self.serving() else []
            try:
                readable, _, _ = select.select(waiting, [], [], 0.1)
            except InterruptedError:
                continue
            if readable:
                self.hand_waiting_connections()
            status = self.replace_dead_workers()
        self.listener.close()
        for process, _, channel in self.workers:
            channel.close()  # the worker sees its channel end: no more connections
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process, _, _ in self.workers:
            process.join()
        return status

    def serving(self) -> list[int]:
        """The workers that serve and are not stuck, fewest open connections first."""
        now = time.monotonic()
        available = []
        for index, (_, ready, _) in enumerate(self.workers):
            if not ready.is_set():
                continue
            if self.handed[index] == self.taken[index]:
                self.untaken_since[index] = None
            elif now - (self.untaken_since[index] or now) > STUCK_SECONDS:
                continue
            available.append(index)
        return sorted(available, key=lambda index: self.handed[index] - self.closed[index])

    def hand_waiting_connections(self) -> None:
        """Accept and hand out the waiting connections while a worker can take them; once
        none can (all stuck), the rest wait in the backlog rather than be accepted and
        dropped."""
        while available := self.serving():
            try:
                connection, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors, say: the rest wait
                print(f"serve: accept failed: {exc}", file=sys.stderr)
                return
            with connection:  # our copy: the worker has its own once it is sent
                for index in available:
                    try:
                        socket.send_fds(self.workers[index][2], [b"c"], [connection.fileno()])
                    except OSError:  # that worker is gone; replace_dead_workers will see
                        continue
                    if self.handed[index] == self.taken[index]:
                        self.untaken_since[index] = time.monotonic()
                    self.handed[index] += 1
                    break

    def replace_dead_workers(self) -> int:
        for index, (process, ready, channel) in enumerate(self.workers):
            if process.is_alive() or self.stopping:
                continue
            # One that exited by itself before serving failed to start: a broken app or setting
            # would only fail again. One killed by a signal (exit code < 0) is replaced.
            if not ready.is_set() and process.exitcode >= 0:
                print(f"serve: worker {process.pid} failed to start", file=sys.stderr)
                return 1
            print(
                f"serve: worker {process.pid} died ({process.exitcode}); restarting",
                file=sys.stderr,
            )
            channel.close()
            self.workers[index] = self.start(index)
        return 0


if __name__ == "__main__":
    sys.exit(main())
