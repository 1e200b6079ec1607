"""Schemathesis (v4) against the API's own OpenAPI document, every check on, with the fixed
seed and 100 examples per operation of schemathesis.toml: no 5xx, every answer as documented
(status, content type, headers, schema), schema-valid requests accepted and invalid ones
refused (the business rules a schema cannot express are listed, each with its reason, in
schemathesis.toml). It writes (orders, payments, refunds, the webhook), so it gets a database,
a server and users of its own; the store's invariants must hold after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg
import pytest
import yaml

from tests.conftest import API, ROOT, api_url, database_url, drop_database, login, migrate_database
from tests.helpers_orders import violations
from tests.reliability import Tally, report

ST = Path(sys.executable).with_name("st")
CONFIG = ROOT / "schemathesis.toml"


@pytest.fixture(scope="module")
def st_server(start_server):
    name = f"jiokidz_schemathesis_{os.getpid()}"
    drop_database(name)
    url = database_url(name)
    migrate_database(url)
    server = start_server({"DATABASE_URL": api_url(url), "JIOKIDZ_ENV": "test"})
    yield server, url
    server.stop()
    drop_database(name)


def tokens(server, url: str) -> tuple[str, str]:
    """A customer's and a staff member's access tokens, through the real OTP flow."""
    with httpx.Client(base_url=server.base_url + API, timeout=10) as http:
        customer, _ = login(http)
        staff, body = login(http)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE store.users SET is_staff = true WHERE id = %s", (body["user"]["id"],))
    return customer, staff


def interactions(ndjson: Path) -> list[dict]:
    """Every request Schemathesis sent and the answer it got, once each."""
    seen: dict[tuple, dict] = {}
    for line in ndjson.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if finished is None:
            continue
        for interaction in (finished.get("recorder") or {}).get("interactions", {}).values():
            request = interaction["request"]
            seen[(interaction["timestamp"], request["method"], request["uri"])] = interaction
    return list(seen.values())


def test_schemathesis_finds_nothing_to_report(st_server, tmp_path: Path):
    server, url = st_server
    customer, staff = tokens(server, url)
    env = {**os.environ, "JIOKIDZ_ST_TOKEN": customer, "JIOKIDZ_ST_STAFF_TOKEN": staff}
    command = [
        ST,
        "--config-file",
        CONFIG,
        "run",
        f"{server.base_url}{API}/openapi.json",
        "--checks",
        "all",
        "--report",
        "json,ndjson",
        "--report-dir",
        tmp_path,
        "--no-color",
    ]

    done = subprocess.run(  # in tmp_path: its cache folder stays out of the checkout
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
    )

    summary = json.loads(next(tmp_path.glob("json-*.json")).read_text())
    tally = Tally()
    for interaction in interactions(next(tmp_path.glob("ndjson-*.ndjson"))):
        response = interaction["response"]
        tally.count(response["status_code"] if response else None)
    with psycopg.connect(url, autocommit=True) as conn:
        # No worker runs for this database, so nothing publishes its events: rule 13
        # (events_published) fires once the run outlasts a minute, and says nothing of the API.
        found = [v for v in violations(conn) if v["rule"] != "events_published"]
    operations = summary["operations"]
    report(
        f"schemathesis {operations['tested']} ops {summary['test_cases']['generated']} cases",
        tally,
        violations=len(found),
    )
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-5000:]
    spec = yaml.safe_load((ROOT / "api_spec.yaml").read_text())
    assert operations["tested"] == len(spec["endpoints"]) == operations["total"], operations
    assert summary["failures"] == [] and summary["errors"] == [], summary
    assert summary["seed"] == 20261126
    phases = {name: phase["status"] for name, phase in summary["phases"].items()}
    assert phases == dict.fromkeys(("examples", "coverage", "fuzzing", "stateful"), "success")
    assert tally.sent > 100 * 10 and tally.server_errors == 0 and tally.failed == 0, tally
    assert "unexpected error" not in server.log()
    assert found == [], found
