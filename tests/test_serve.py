"""app/serve.py, which `make run`, `make bench` and these tests serve with: a parent that
accepts each connection and hands it to the worker holding the fewest, so that each holds its
share, a stopped worker passed over, a dead worker replaced, a clean stop, and a prompt
failure when the port is taken or the app cannot start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def workers_of(parent: int) -> list[int]:
    """The pids of a serve process's uvicorn workers (not multiprocessing's resource tracker)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        if ppid == parent and b"spawn_main" in command:
            pids.append(int(entry.name))
    return sorted(pids)


def established_on(port: int) -> set[str]:
    """Socket inodes of the server side of established TCP connections on 127.0.0.1:port."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
            inodes.add(fields[9])
    return inodes


def connections_held(pid: int, port: int) -> int:
    on_port = established_on(port)
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in on_port:
            held += 1
    return held


def serving_workers(server, count: int = 2) -> list[int]:
    """The workers' pids, once each has started (the server answers as soon as one has)."""
    deadline = time.monotonic() + 30
    while server.log().count("Application startup complete") < count:
        assert time.monotonic() < deadline, server.log()
        time.sleep(0.1)
    return workers_of(server.process.pid)


def open_connections(port: int, count: int) -> list[socket.socket]:
    """`count` keep-alive connections opened at once, as wrk opens them, each answered once."""
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    for client in clients:
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
    for client in clients:
        client.settimeout(10)
        assert client.recv(4096).startswith(b"HTTP/1.1 200"), "every connection answered"
    return clients


def test_connections_are_split_evenly_between_the_workers(db_url, start_server):
    """32 connections at once, as wrk opens them: each worker takes its half (a kernel hash
    of each connection, SO_REUSEPORT's way, gave 21:11 in some runs)."""
    server = start_server({"DATABASE_URL": db_url, "JIOKIDZ_ENV": "test"}, ("--workers", "2"))
    workers = serving_workers(server)
    clients = open_connections(server.port, 32)
    try:
        held = [connections_held(pid, server.port) for pid in workers]
    finally:
        for client in clients:
            client.close()
    assert sum(held) == 32 and max(held) - min(held) <= 2, f"connections per worker: {held}"


def test_a_stopped_worker_does_not_hold_up_new_connections(db_url, start_server):
    """A stopped worker takes nothing from its channel; once it has left a connection there
    for STUCK_SECONDS, the others get every new one. When it runs again it serves what it was
    handed, and, holding the fewest connections, gets the next ones."""
    server = start_server({"DATABASE_URL": db_url, "JIOKIDZ_ENV": "test"}, ("--workers", "2"))
    stopped, awake = serving_workers(server)
    os.kill(stopped, signal.SIGSTOP)
    try:
        early = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(2)]
        for client in early:  # one of these is handed to the stopped worker
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        time.sleep(0.3)
        started = time.monotonic()
        during = open_connections(server.port, 16)
        waited = time.monotonic() - started
        held_during = connections_held(awake, server.port)
    finally:
        os.kill(stopped, signal.SIGCONT)
    after = []
    try:
        for client in early:
            client.settimeout(10)
            assert client.recv(4096).startswith(b"HTTP/1.1 200"), "answered once it runs"
        after = open_connections(server.port, 16)
        held = {pid: connections_held(pid, server.port) for pid in (stopped, awake)}
    finally:
        for client in early + during + after:
            client.close()
    assert waited < 5, f"16 connections took {waited:.1f} s with a worker stopped"
    assert held_during >= 16, f"the awake worker held {held_during}"
    assert held[stopped] >= 14, f"connections per worker after it ran again: {held}"


def test_a_killed_worker_is_replaced_and_the_server_keeps_answering(db_url, start_server):
    server = start_server({"DATABASE_URL": db_url, "JIOKIDZ_ENV": "test"}, ("--workers", "2"))
    before = workers_of(server.process.pid)
    os.kill(before[0], signal.SIGKILL)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = workers_of(server.process.pid)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.1)
    assert len(now) == 2 and before[0] not in now and before[1] in now, (before, now)
    assert server.process.poll() is None
    for _ in range(20):
        assert httpx.get(server.base_url + "/healthz", timeout=10).status_code == 200


def test_sigterm_stops_the_server_and_every_worker(db_url, start_server):
    server = start_server({"DATABASE_URL": db_url, "JIOKIDZ_ENV": "test"}, ("--workers", "2"))
    workers = workers_of(server.process.pid)

    server.process.send_signal(signal.SIGTERM)

    assert server.process.wait(timeout=20) == 0
    assert len(workers) == 2
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists(), f"worker {pid} outlived the server"


def serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.serve", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_port_in_use_fails_at_once():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = serve("app.main:app", "--port", str(port), "--workers", "2")

    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_an_app_that_cannot_start_stops_the_server_instead_of_restarting_it():
    result = serve("no_such_module:app", "--port", str(free_port()), "--workers", "2")

    assert result.returncode == 1
    assert "failed to start" in result.stderr
