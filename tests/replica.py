"""A real streaming replica of the test primary (ADMIN_DATABASE_URL's server), made and removed
by scripts/replica.sh, for the tests of routing to it.

Physical replication copies the whole cluster: databases the primary creates after the base
backup stream over too, so one replica per session serves every test database.

    replica = start_replica()            # base backup, start on a free port, streaming
    replica.same_as(api_url(db_url))     # that login and database, on the replica
    replica.pause_replay(); ...; replica.resume_replay()
    replica.kill(); ...; replica.start()  # the replica down, then back
    replica.remove()                     # stop, drop the slot on the primary, delete the folder

A replica left behind by a run that died (SIGKILL, a power cut) keeps a replication slot on
the primary, which then keeps WAL forever: start_replica first removes those of dead processes.
"""

from __future__ import annotations

import atexit
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "replica.sh"
# Under /tmp, whose parents the postgres user can reach when the suite runs as root (pytest's
# own tmp_path is private to its user). The pid in both names tells whose run made them.
TMP = Path("/tmp")
DIR_PREFIX = "jiokidz-replica-"
SLOT_PREFIX = "jiokidz_test_"


class ReplicaError(RuntimeError):
    """scripts/replica.sh failed; the message holds its output."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Replica:
    """A hot standby of `primary_url`'s server in `directory`, on 127.0.0.1:`port`."""

    def __init__(self, directory: Path, port: int, slot: str, primary_url: str):
        self.directory = directory
        self.port = port
        self.slot = slot
        self.primary_url = primary_url
        self.admin_user = conninfo_to_dict(primary_url).get("user") or "postgres"
        self.removed = False

    # -- addresses ---------------------------------------------------------------------------

    def url(self, dbname: str = "postgres", user: str | None = None) -> str:
        """A URL to database `dbname` on the replica as `user` (default: the admin). The
        replica trusts logins from 127.0.0.1, so no password."""
        user = user or self.admin_user
        return f"postgresql://{quote(user, safe='')}@127.0.0.1:{self.port}/{quote(dbname)}"

    def same_as(self, url: str) -> str:
        """`url` (a URL or key=value string to the primary) pointed at the replica: the same
        user, password and database."""
        params = conninfo_to_dict(url)
        params.pop("hostaddr", None)
        return make_conninfo(**{**params, "host": "127.0.0.1", "port": str(self.port)})

    # -- the server --------------------------------------------------------------------------

    def _script(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(SCRIPT), args[0], str(self.directory), *args[1:]],
            env={**os.environ, "ADMIN_DATABASE_URL": self.primary_url, "REPLICA_SLOT": self.slot},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and done.returncode != 0:
            raise ReplicaError(f"replica.sh {' '.join(args)}: {done.stdout}{done.stderr}")
        return done

    def start(self) -> str:
        """Start it again after stop() or kill() (a no-op when it runs); returns once it
        streams. Returns the script's output."""
        return self._script("start", str(self.port)).stdout

    def stop(self) -> None:
        """A clean shutdown; the folder and the slot stay (the primary keeps WAL for it)."""
        self._script("stop", "fast")

    def kill(self) -> None:
        """Down as after a crash (pg_ctl stop -m immediate): connections fail at once."""
        self._script("stop", "immediate")

    def status(self) -> subprocess.CompletedProcess:
        """scripts/replica.sh status: returncode 0 streaming, 1 not streaming, 3 down."""
        return self._script("status", check=False)

    def is_streaming(self) -> bool:
        return self.status().returncode == 0

    def remove(self) -> None:
        """Stop, drop the slot on the primary, delete the folder. Safe to call twice."""
        if self.removed:
            return
        self._script("remove")
        self.removed = True

    def __enter__(self) -> Replica:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

    # -- replay ------------------------------------------------------------------------------

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        """An autocommit connection to the replica as the admin."""
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=5)

    def pause_replay(self) -> None:
        """Stop applying WAL (it still arrives): reads see the replica fall behind. Returns
        once replay has actually paused."""
        with self.connect() as conn:
            conn.execute("SELECT pg_wal_replay_pause()")
            deadline = time.monotonic() + 10
            while conn.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != "paused":
                if time.monotonic() > deadline:
                    raise ReplicaError("replay did not pause within 10 s")
                time.sleep(0.01)

    def resume_replay(self) -> None:
        with self.connect() as conn:
            conn.execute("SELECT pg_wal_replay_resume()")

    def replay_paused(self) -> bool:
        with self.connect() as conn:
            return conn.execute("SELECT pg_is_wal_replay_paused()").fetchone()[0]

    def primary_lsn(self) -> str:
        """The primary's WAL flushed so far: every transaction committed until now is in it."""
        with psycopg.connect(self.primary_url, autocommit=True) as conn:
            return conn.execute("SELECT pg_current_wal_flush_lsn()::text").fetchone()[0]

    def lag_bytes(self) -> int:
        """How much WAL the primary has written that the replica has not replayed."""
        with self.connect() as conn:
            replayed = conn.execute("SELECT pg_last_wal_replay_lsn()::text").fetchone()[0]
        with psycopg.connect(self.primary_url, autocommit=True) as conn:
            return int(
                conn.execute(
                    "SELECT greatest(pg_wal_lsn_diff(pg_current_wal_flush_lsn(), %s), 0)",
                    (replayed,),
                ).fetchone()[0]
            )

    def wait_for(self, lsn: str | None = None, *, replayed: bool = True, timeout: float = 10):
        """Wait until the replica has replayed (or, replayed=False, received) the primary's WAL
        up to `lsn` (default: all it has flushed now, so every commit made before the call)."""
        lsn = lsn or self.primary_lsn()
        position = "pg_last_wal_replay_lsn()" if replayed else "pg_last_wal_receive_lsn()"
        deadline = time.monotonic() + timeout
        with self.connect() as conn:
            while not conn.execute(f"SELECT {position} >= %s::pg_lsn", (lsn,)).fetchone()[0]:
                if time.monotonic() > deadline:
                    what = "replayed" if replayed else "received"
                    raise ReplicaError(f"the replica has not {what} {lsn} within {timeout} s")
                time.sleep(0.01)


def start_replica(
    directory: Path | None = None, *, port: int | None = None, primary_url: str | None = None
) -> Replica:
    """A streaming replica of `primary_url` (default: the admin's, ADMIN_DATABASE_URL or the
    development default) in `directory` (default: a new folder under /tmp; when given, it must
    be empty or missing, under parents the postgres user can reach) on `port` (default: a free
    one). Orphans of dead runs go first. The replica is removed at exit if nobody did."""
    primary_url = primary_url or Settings.from_env().admin_database_url
    remove_orphans(primary_url)
    pid = os.getpid()
    if directory is None:
        parent = Path(tempfile.mkdtemp(prefix=f"{DIR_PREFIX}{pid}-", dir=TMP))
        parent.chmod(0o755)  # mkdtemp's 0700 would keep the postgres user out
        directory = parent / "data"
    slot = f"{SLOT_PREFIX}{pid}_{secrets.token_hex(4)}"
    replica = Replica(Path(directory), port or _free_port(), slot, primary_url)
    atexit.register(_remove_quietly, replica)
    try:
        replica.start()
    except BaseException:
        _remove_quietly(replica)
        raise
    return replica


def _remove_quietly(replica: Replica) -> None:
    try:
        replica.remove()
    except ReplicaError as error:
        print(error)
    parent = replica.directory.parent
    if parent.name.startswith(DIR_PREFIX) and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()


def remove_orphans(primary_url: str) -> list[str]:
    """Remove the replicas and test slots of runs whose process is gone; returns what went."""
    gone = []
    for parent in TMP.glob(f"{DIR_PREFIX}*"):
        match = re.match(rf"{DIR_PREFIX}(\d+)-", parent.name)
        if not match or _alive(int(match[1])):
            continue
        data = parent / "data"
        done = subprocess.run(
            [str(SCRIPT), "remove", str(data)],
            env={**os.environ, "ADMIN_DATABASE_URL": primary_url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode == 0:
            shutil.rmtree(parent, ignore_errors=True)
            gone.append(str(parent))
    with psycopg.connect(primary_url, autocommit=True) as conn:
        slots = conn.execute(
            "SELECT slot_name FROM pg_replication_slots WHERE NOT active AND slot_name LIKE %s",
            (SLOT_PREFIX.replace("_", r"\_") + "%",),
        ).fetchall()
        for (slot,) in slots:
            match = re.match(rf"{SLOT_PREFIX}(\d+)_", slot)
            if match and not _alive(int(match[1])):
                conn.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
                gone.append(slot)
    return gone
