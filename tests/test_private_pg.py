"""scripts/private_pg.sh: the private cluster `make run` starts when no server is usable."""

import subprocess

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.conftest import PRIVATE_PG


def test_a_private_cluster_starts_serves_and_stops(private_primary):
    url, data = private_primary
    assert (data / "PG_VERSION").exists()
    with psycopg.connect(url, connect_timeout=5) as conn:
        assert conn.execute("SELECT 1 + 1").fetchone()[0] == 2
    port = conninfo_to_dict(url)["port"]

    again = subprocess.run(
        [PRIVATE_PG, "start", data, port], capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0 and "already running" in again.stdout

    subprocess.run([PRIVATE_PG, "stop", data], capture_output=True, timeout=60)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
