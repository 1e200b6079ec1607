"""Machine instructions per request, API against floor, counted by valgrind's callgrind: the
one figure of the web layer that the machine's load does not move (the same count run after
run, whatever else the cores are doing), so a change of a few microseconds shows.

Each app runs as one uvicorn process under callgrind against the benchmark database (built by
`make bench`); for each read endpoint of bench/overhead.py, one keep-alive client sends
--requests requests one after the other, after 200 of warm-up, and only those are counted.
Unlike bench/overhead.py the database is real, so the request's coroutines really suspend and
resume, psycopg and uvicorn work as they do under load. Sequential requests each flush their
own access line, which under load is written with others (app/logging_setup.py).

    .venv/bin/python -m bench.instructions [--requests 1000] [scenario ...]

About 15 s per endpoint and app (valgrind runs Python about 50 times slower).
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.overhead import CALLS, Call
from bench.run import ROOT, SERVER_ENV, SERVER_SETTINGS, bench_url, free_port, issue_token

WARMUP = 200
APPS = {"API": "app.main:app", "floor": "bench.floor:app"}


def send_requests(port: int, call: Call, token: str, count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"} if call.user else {}
    target = call.path + (f"?{call.query.decode()}" if call.query else "")
    for _ in range(count):
        connection.request(call.method, target, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status >= 300:
            raise RuntimeError(f"{call.scenario}: {target} answered {response.status}")
    connection.close()


def wait_until_serving(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120  # importing the app under valgrind takes a while
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the server did not start")


def total_instructions(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError(f"{dump}: no totals")


def measure(app: str, calls: list[Call], token: str, count: int, folder: Path) -> dict[str, int]:
    """scenario -> instructions per request of `app`."""
    port = free_port()
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": bench_url(), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [
            *("valgrind", "--tool=callgrind", "--instr-atstart=no"),
            f"--callgrind-out-file={folder}/callgrind.%p",
            *(sys.executable, "-m", "uvicorn", app, "--port", str(port)),
            *("--log-level", "warning", "--no-access-log"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "server.log", "ab"),  # noqa: SIM115 (closed with the process)
    )
    counts = {}
    try:
        wait_until_serving(port, server)
        for number, call in enumerate(calls, start=1):
            send_requests(port, call, token, WARMUP)
            control = ["callgrind_control", str(server.pid)]
            subprocess.run([*control, "--zero"], check=True, capture_output=True)
            subprocess.run([*control, "--instr=on"], check=True, capture_output=True)
            send_requests(port, call, token, count)
            subprocess.run([*control, "--instr=off"], check=True, capture_output=True)
            subprocess.run([*control, "--dump"], check=True, capture_output=True)
            dump = folder / f"callgrind.{server.pid}.{number}"
            counts[call.scenario] = total_instructions(dump) // count
    finally:
        server.terminate()
        server.wait()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("scenarios", nargs="*", help="default: every read endpoint")
    args = parser.parse_args(argv)
    calls = [
        c for c in CALLS if not c.body and (not args.scenarios or c.scenario in args.scenarios)
    ]
    token = issue_token(SERVER_SETTINGS, 1)
    with tempfile.TemporaryDirectory(prefix="jiokidz-callgrind-") as folder:
        results = {
            name: measure(app, calls, token, args.requests, Path(folder))
            for name, app in APPS.items()
        }
    print("| scenario | API instructions | floor instructions | floor / API |")
    print("| --- | ---: | ---: | ---: |")
    for call in calls:
        api, floor = results["API"][call.scenario], results["floor"][call.scenario]
        print(f"| {call.scenario} | {api:,} | {floor:,} | {floor / api:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
