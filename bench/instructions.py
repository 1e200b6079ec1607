"""Machine instructions per request, API against floor, counted by valgrind's callgrind: the
web layer's cost in the one unit the machine's load does not move (the same count run after
run, whatever else the cores are doing), so a change of a microsecond shows. `make bench`
puts it in results.md (bench/run.py runs this module); alone:

    .venv/bin/python -m bench.instructions [--requests 1000] [scenario ...]

Each app runs as one uvicorn process under callgrind against the benchmark database (built
by `make bench`, BENCH_DATABASE); for each read endpoint below, one keep-alive client sends
--requests requests one after the other, after a warm-up, and only those are counted. The
database is real, so psycopg and uvicorn work as under load and each layer of coroutines is
paid at every database wait (a stubbed database, which never suspends a request, showed a
third of the difference). The API's access lines are written with others under load, here
one by one: that costs the API about 10k instructions a request more than under load.
Roughly 10 ms of a request under valgrind: 200 requests take 2 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.run import (
    APPS,
    ROOT,
    SERVER_ENV,
    SERVER_SETTINGS,
    bench_url,
    free_port,
    issue_token,
    wait_until_serving,
)


@dataclass(frozen=True)
class Call:
    scenario: str  # as in bench/run.py
    path: str  # with its query string
    user: bool = False  # sends user 1's bearer token


# One request of each read scenario of make bench (writes would change what they measure).
CALLS = [
    Call(
        "products_filter",
        "/api/v1/products?category_id=7&age_months=60&min_price=20000&max_price=520000"
        "&sort=price_asc",
    ),
    Call("products_search", "/api/v1/products?q=wooden"),
    Call("product_detail", "/api/v1/products/5000"),
    Call("cart_get", "/api/v1/cart", user=True),
    Call("orders_list", "/api/v1/orders", user=True),
]


def send_requests(port: int, call: Call, token: str, count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"} if call.user else {}
    for _ in range(count):
        connection.request("GET", call.path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status >= 300:
            raise RuntimeError(f"{call.scenario}: {call.path} answered {response.status}")
    connection.close()


def total_instructions(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError(f"{dump}: no totals")


def measure_app(app: str, calls: list[Call], count: int, folder: Path) -> dict[str, int]:
    """scenario -> instructions per request of `app`."""
    port = free_port()
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": bench_url(), "PYTHONPATH": str(ROOT)}
    token = issue_token(SERVER_SETTINGS, 1)
    with open(folder / "server.log", "ab") as log:
        server = subprocess.Popen(
            [
                *("valgrind", "--tool=callgrind", "--instr-atstart=no"),
                f"--callgrind-out-file={folder}/callgrind.%p",
                *(sys.executable, "-m", "uvicorn", app, "--port", str(port)),
                *("--log-level", "warning", "--no-access-log"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    counts = {}
    try:
        # Importing the app under valgrind takes a while.
        if not wait_until_serving(f"http://127.0.0.1:{port}", server, seconds=120):
            log_tail = (folder / "server.log").read_text()[-2000:]  # the folder goes with us
            raise RuntimeError(f"{app} did not start under valgrind:\n{log_tail}")
        control = ["callgrind_control", str(server.pid)]
        for number, call in enumerate(calls, start=1):
            send_requests(port, call, token, max(50, count // 2))  # plans, caches, prepares
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


def measure(count: int, scenarios: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """scenario -> (API, floor) instructions per request."""
    calls = [call for call in CALLS if not scenarios or call.scenario in scenarios]
    with tempfile.TemporaryDirectory(prefix="jiokidz-callgrind-") as folder:
        api, floor = (measure_app(app, calls, count, Path(folder)) for app in APPS.values())
    return {call.scenario: (api[call.scenario], floor[call.scenario]) for call in calls}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="for bench/run.py")
    parser.add_argument("scenarios", nargs="*", help="default: every read endpoint")
    args = parser.parse_args(argv)
    counts = measure(args.requests, args.scenarios)
    if args.json:
        print(json.dumps(counts))
        return 0
    print("| scenario | API instructions | floor instructions | floor / API |")
    print("| --- | ---: | ---: | ---: |")
    for scenario, (api, floor) in counts.items():
        print(f"| {scenario} | {api:,} | {floor:,} | {floor / api:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
