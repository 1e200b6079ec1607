"""scripts/replica.sh and tests/replica.py: a real hot standby of the test primary, streaming
through a replication slot, read-only, whose replay can pause, that survives being killed, and
whose removal leaves no slot behind on the primary."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import errors, sql

from tests.conftest import ROOT, database_url, drop_database, free_port
from tests.replica import SLOT_PREFIX, Replica, ReplicaError, remove_orphans, start_replica


def slot_state(primary_url: str, slot: str) -> bool | None:
    """Whether the primary's slot is active; None when there is no such slot."""
    with psycopg.connect(primary_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT active FROM pg_replication_slots WHERE slot_name = %s", (slot,)
        ).fetchone()
    return row[0] if row else None


def eventually(check, timeout: float = 10):
    """check()'s first truthy answer, retried until `timeout`; the last answer otherwise."""
    deadline = time.monotonic() + timeout
    while not (answer := check()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return answer


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    started = time.monotonic()
    rep = start_replica()
    print(f"replica of the test primary streaming after {time.monotonic() - started:.1f} s")
    yield rep
    rep.remove()
    # A slot left on the primary would make it keep WAL forever.
    assert slot_state(rep.primary_url, rep.slot) is None
    assert not rep.directory.exists()


@pytest.fixture(scope="module")
def primary_db(replica: Replica) -> Iterator[str]:
    """A database made on the primary after the replica's base backup, with a table t, on the
    replica too."""
    name = f"jiokidz_replica_{os.getpid()}"
    drop_database(name)
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(database_url(name), autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int PRIMARY KEY)")
    replica.wait_for()  # there on both before a test pauses replay
    yield name
    drop_database(name)


def insert(db: str, row_id: int) -> None:
    with psycopg.connect(database_url(db), autocommit=True) as conn:
        conn.execute("INSERT INTO t VALUES (%s)", (row_id,))


def on_replica(replica: Replica, db: str, row_id: int) -> bool:
    with replica.connect(db) as conn:
        return conn.execute("SELECT EXISTS (SELECT FROM t WHERE id = %s)", (row_id,)).fetchone()[0]


def test_the_replica_is_a_hot_standby_streaming_through_its_slot(replica: Replica):
    with replica.connect() as conn:
        in_recovery, receiver, slot = conn.execute(
            "SELECT pg_is_in_recovery(), status, slot_name FROM pg_stat_wal_receiver"
        ).fetchone()
    assert in_recovery and receiver == "streaming" and slot == replica.slot
    assert slot_state(replica.primary_url, replica.slot) is True
    status = replica.status()
    assert status.returncode == 0, status.stdout + status.stderr
    assert "WAL receiver: streaming" in status.stdout and "active" in status.stdout
    # Starting a running replica changes nothing.
    assert "already running" in replica.start()


def test_a_database_and_rows_made_on_the_primary_stream_to_the_replica(replica, primary_db):
    insert(primary_db, 1)
    replica.wait_for()
    assert on_replica(replica, primary_db, 1)
    # same_as: the primary's login and database, on the replica.
    with psycopg.connect(replica.same_as(database_url(primary_db))) as conn:
        assert conn.execute("SELECT current_database(), pg_is_in_recovery()").fetchone() == (
            primary_db,
            True,
        )


def test_the_replica_refuses_writes(replica: Replica, primary_db: str):
    with replica.connect(primary_db) as conn:
        with pytest.raises(errors.ReadOnlySqlTransaction) as refused:
            conn.execute("INSERT INTO t VALUES (2)")
        assert refused.value.sqlstate == "25006"
        with pytest.raises(errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE u (id int)")


def test_paused_replay_holds_new_rows_back_until_resumed(replica: Replica, primary_db: str):
    replica.pause_replay()
    try:
        assert replica.replay_paused()
        insert(primary_db, 3)
        # The row's WAL has arrived on the replica, and still is not applied.
        replica.wait_for(replayed=False)
        time.sleep(0.3)
        assert not on_replica(replica, primary_db, 3)
        assert replica.lag_bytes() > 0
    finally:
        replica.resume_replay()
    replica.wait_for()
    assert on_replica(replica, primary_db, 3)
    assert not replica.replay_paused()


def test_a_killed_replica_refuses_connections_then_starts_and_catches_up(replica, primary_db):
    replica.kill()
    try:
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(replica.url(), connect_timeout=2)
        assert replica.status().returncode == 3
        # The slot stays, inactive: the primary keeps the WAL the replica has not got yet.
        assert eventually(lambda: slot_state(replica.primary_url, replica.slot) is False)
        insert(primary_db, 4)
    finally:
        replica.start()
    replica.wait_for()
    assert on_replica(replica, primary_db, 4)
    assert slot_state(replica.primary_url, replica.slot) is True


def test_a_stopped_replica_starts_again(replica: Replica, primary_db: str):
    replica.stop()
    try:
        assert replica.status().returncode == 3
        insert(primary_db, 5)
    finally:
        replica.start()
    replica.wait_for()
    assert on_replica(replica, primary_db, 5)


def test_remove_drops_the_slot_and_the_folder(replica: Replica, private_primary):
    # A second replica, of a small primary: the test primary may hold large databases.
    url, _ = private_primary
    parent = Path(tempfile.mkdtemp(prefix="jiokidz-replica-test-", dir="/tmp"))
    os.chmod(parent, 0o755)
    try:
        second = start_replica(parent / "data", primary_url=url)
        assert second.slot != replica.slot
        assert slot_state(url, second.slot) is True
        second.remove()
        assert slot_state(url, second.slot) is None
        assert not (parent / "data").exists()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(second.url(), connect_timeout=2)
        second.remove()  # twice is fine
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_remove_drops_the_slot_of_a_folder_deleted_by_hand(private_primary):
    url, _ = private_primary
    parent = Path(tempfile.mkdtemp(prefix="jiokidz-replica-test-", dir="/tmp"))
    os.chmod(parent, 0o755)
    data, script = parent / "data", ROOT / "scripts" / "replica.sh"
    env = {k: v for k, v in os.environ.items() if k != "REPLICA_SLOT"}
    env["ADMIN_DATABASE_URL"] = url

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [script, args[0], data, *args[1:]], env=env, capture_output=True, text=True, timeout=120
        )

    try:
        started = run("start", str(free_port()))
        assert started.returncode == 0, started.stdout + started.stderr
        slot = re.search(r"slot (jiokidz_replica_\d+)", started.stdout)[1]
        assert run("stop").returncode == 0
        shutil.rmtree(data)
        # The slot outlives the folder and keeps WAL for a replica that will not come back.
        assert slot_state(url, slot) is False
        status = run("status")
        assert status.returncode == 3 and f"{slot} on the primary: inactive" in status.stdout
        # The slot's name comes from the folder's path: remove finds it.
        removed = run("remove")
        assert removed.returncode == 0 and f"dropped slot {slot}" in removed.stdout
        assert slot_state(url, slot) is None
    finally:
        run("remove")
        shutil.rmtree(parent, ignore_errors=True)


def test_slots_of_dead_runs_are_dropped_and_live_ones_kept(replica: Replica):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = f"{SLOT_PREFIX}{dead.pid}_deadbeef"
    live = f"{SLOT_PREFIX}{os.getpid()}_cafe0000"
    with psycopg.connect(replica.primary_url, autocommit=True) as conn:
        for slot in (orphan, live):
            conn.execute("SELECT pg_create_physical_replication_slot(%s)", (slot,))
        try:
            gone = remove_orphans(replica.primary_url)
            assert orphan in gone and live not in gone
            assert slot_state(replica.primary_url, orphan) is None
            assert slot_state(replica.primary_url, live) is False
        finally:
            conn.execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                " WHERE slot_name IN (%s, %s)",
                (orphan, live),
            )
    # The module's replica belongs to this live run: untouched.
    assert replica.is_streaming()


def set_hba(url: str, lines: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        hba = conn.execute("SHOW hba_file").fetchone()[0]
        Path(hba).write_text(lines)
        conn.execute("SELECT pg_reload_conf()")


def test_a_primary_without_replication_in_pg_hba_is_named_or_fixed(private_primary):
    url, _ = private_primary
    parent = Path(tempfile.mkdtemp(prefix="jiokidz-replica-test-", dir="/tmp"))
    os.chmod(parent, 0o755)
    try:
        # Not every login is trusted from here: the script must not widen that; it names the
        # line a DBA adds, and creates no slot.
        set_hba(url, "local all all trust\nhost all postgres 127.0.0.1/32 trust\n")
        with pytest.raises(ReplicaError) as refused:
            start_replica(parent / "data", primary_url=url)
        assert "host replication all 127.0.0.1/32 trust" in str(refused.value)
        assert "replica: added" not in str(refused.value)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT count(*) FROM pg_replication_slots").fetchone()[0] == 0

        # Every login trusted, as on the development server: the same trust for replication.
        set_hba(url, "local all all trust\nhost all all 127.0.0.1/32 trust\n")
        with start_replica(parent / "data", primary_url=url) as replica:
            with replica.connect() as conn:
                assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
        with psycopg.connect(url) as conn:
            hba = conn.execute("SHOW hba_file").fetchone()[0]
            assert conn.execute("SELECT count(*) FROM pg_replication_slots").fetchone()[0] == 0
        assert "host replication all 127.0.0.1/32 trust" in Path(hba).read_text()
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_a_folder_that_is_not_a_replica_is_refused_and_kept():
    parent = Path(tempfile.mkdtemp(prefix="jiokidz-replica-test-", dir="/tmp"))
    os.chmod(parent, 0o755)
    (parent / "notes.txt").write_text("mine")
    script = ROOT / "scripts" / "replica.sh"
    try:
        for args in (["start", parent, str(free_port())], ["remove", parent]):
            done = subprocess.run([script, *args], capture_output=True, text=True, timeout=60)
            assert done.returncode == 1 and "not a replica" in done.stderr, done.stderr
            assert (parent / "notes.txt").read_text() == "mine"
            assert parent.stat().st_mode & 0o777 == 0o755 and parent.stat().st_uid == os.getuid()
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_a_replica_of_another_server_is_refused_and_left_running(replica, private_primary):
    url, _ = private_primary
    for args in (
        ["start", str(replica.directory), str(replica.port)],
        ["remove", replica.directory],
    ):
        done = subprocess.run(
            [ROOT / "scripts" / "replica.sh", *args],
            env={**os.environ, "ADMIN_DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1 and "another server" in done.stderr, done.stderr
    assert replica.is_streaming() and slot_state(replica.primary_url, replica.slot) is True
