"""scripts/private_pg.sh: the private cluster `make run` starts when no server is usable."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.conftest import ROOT, free_port


def test_a_private_cluster_starts_serves_and_stops():
    # Under /tmp with open parents: as root the server runs as the postgres user.
    parent = Path(tempfile.mkdtemp(prefix="jiokidz-pg-", dir="/tmp"))
    os.chmod(parent, 0o755)
    data, port = parent / "pgdata", free_port()
    script = ROOT / "scripts" / "private_pg.sh"
    try:
        started = subprocess.run(
            [script, "start", data, str(port)], capture_output=True, text=True, timeout=120
        )
        assert started.returncode == 0, started.stdout + started.stderr
        assert (data / "PG_VERSION").exists()
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(url, connect_timeout=5) as conn:
            assert conn.execute("SELECT 1 + 1").fetchone()[0] == 2

        again = subprocess.run(
            [script, "start", data, str(port)], capture_output=True, text=True, timeout=60
        )
        assert again.returncode == 0 and "already running" in again.stdout
    finally:
        subprocess.run([script, "stop", data], capture_output=True, timeout=60)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    shutil.rmtree(parent)
