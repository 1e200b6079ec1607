"""Where a request's CPU goes, floor against API: the web server (app/serve.py's parent and
workers, user and system time), the PostgreSQL server (all its processes) and wrk, in
microseconds per request, over longer turns than `make bench` takes. It answers what the
API/floor ratio alone cannot: which process pays for the difference. Alone, after
`make bench` has built the benchmark database:

    .venv/bin/python -m bench.cpu_split [--seconds 40] [scenario ...]

The floor and the API are served as `make bench` serves them (bench.run.start_server) and take
turns of 1 s in bench.run's order; each side's CPU is read from /proc before and after each of
its turns. Prints, per scenario, both sides' requests per second, their CPU per request, the
ratio over all turns and the ratio of each run of 10 turns a side (what one `make bench`
measurement sees), which shows how far one run's ratio can stray from the longer one's.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.run import (
    APPS,
    SCENARIOS,
    bench_url,
    run_wrk,
    start_server,
    token_users_tokens,
    turns,
    wrk_script,
)

# wrk's scenarios that leave the store as they found it (a cart's writes would need resetting).
READS = [s.name for s in SCENARIOS if not s.mutates_carts]
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
TURNS_PER_RUN = 10  # a make bench measurement: 10 turns of 1 s a side
WORKERS = os.cpu_count() or 2  # as make bench serves both
PARTS = ("web user", "web system", "pg user", "pg system", "wrk")  # where the CPU is counted


def cpu_ticks(pid: int) -> tuple[int, int]:
    """(user, system) clock ticks a process has run; (0, 0) once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # After the command name, which may hold spaces: utime and stime are fields 14, 15.
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0, 0
    return int(fields[11]), int(fields[12])


def pids(*pgrep_args: str) -> list[int]:
    found = subprocess.run(["pgrep", *pgrep_args], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


def summed(processes: list[int]) -> tuple[int, int]:
    ticks = [cpu_ticks(pid) for pid in processes]
    return sum(user for user, _ in ticks), sum(system for _, system in ticks)


def children_ticks() -> int:
    """User and system ticks of this process's finished children (each turn's wrk)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round((usage.ru_utime + usage.ru_stime) * TICKS_PER_SECOND)


@dataclass
class Side:
    """What one side's turns added up to."""

    requests: int = 0
    seconds: float = 0.0
    ticks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTS, 0))
    per_turn_rps: list[float] = field(default_factory=list)

    def rps(self) -> float:
        return self.requests / self.seconds

    def microseconds(self, part: str) -> float:
        return self.ticks[part] / TICKS_PER_SECOND / self.requests * 1e6


def cpu_now(server: subprocess.Popen) -> dict[str, int]:
    web_user, web_system = summed([server.pid, *pids("-P", str(server.pid))])
    pg_user, pg_system = summed(pids("-x", "postgres"))
    return dict(
        zip(PARTS, (web_user, web_system, pg_user, pg_system, children_ticks()), strict=True)
    )


def measure(scenario_name: str, seconds: int, folder: Path) -> dict[str, Side]:
    scenario = next(s for s in SCENARIOS if s.name == scenario_name)
    script = wrk_script(scenario, token_users_tokens(), folder)
    servers = {
        name: start_server(app, bench_url(), WORKERS, folder / f"{name}.log")
        for name, app in APPS.items()
    }
    sides = {name: Side() for name in servers}
    try:
        for _, base in servers.values():  # warm-up: plans, prepared statements
            run_wrk(base, script, 2, 32)
        for name in turns(seconds, 1):
            server, base = servers[name]
            before = cpu_now(server)
            sample = run_wrk(base, script, 1, 32)
            after = cpu_now(server)
            side = sides[name]
            side.requests += sample.requests
            side.seconds += sample.seconds
            side.per_turn_rps.append(sample.requests / sample.seconds)
            for part in side.ticks:
                side.ticks[part] += after[part] - before[part]
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait()
    return sides


def report(scenario_name: str, sides: dict[str, Side]) -> str:
    lines = [f"{scenario_name}: µs of CPU per request"]
    for name, side in sides.items():
        parts = "  ".join(f"{part} {side.microseconds(part):6.1f}" for part in side.ticks)
        total = sum(side.microseconds(part) for part in side.ticks)
        lines.append(f"  {name:5} {side.rps():7,.0f} req/s  {parts}  total {total:6.1f}")
    api, floor = sides["API"], sides["floor"]
    runs = [
        sum(api.per_turn_rps[i : i + TURNS_PER_RUN])
        / sum(floor.per_turn_rps[i : i + TURNS_PER_RUN])
        for i in range(0, len(api.per_turn_rps) - TURNS_PER_RUN + 1, TURNS_PER_RUN)
    ]
    lines.append(
        f"  API / floor {api.rps() / floor.rps():.2f} over all turns;"
        f" by runs of {TURNS_PER_RUN} turns a side: {', '.join(f'{r:.2f}' for r in runs) or '-'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=40, help="per side (default 40)")
    parser.add_argument(
        "scenarios", nargs="*", choices=READS, default=["product_detail", "cart_get", "orders_list"]
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jiokidz-cpu-") as folder:
        for name in args.scenarios:
            print(report(name, measure(name, args.seconds, Path(folder))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
