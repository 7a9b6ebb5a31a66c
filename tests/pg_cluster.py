"""A throwaway PostgreSQL cluster for the tests: started on a free loopback port, stopped after.

Debian's ``postgresql`` package provides the server (``scripts/setup.sh`` installs it). initdb
refuses to run as root, so as root the cluster belongs to the ``postgres`` user; its folder, log
and socket live in a temporary directory removed at the end.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

from tests.helpers.waiting import wait_until

PG_BIN_ENV = "THERA_PG_BIN"
DEFAULT_BIN = "/usr/lib/postgresql/15/bin"


def pg_bin() -> Path:
    """Where initdb and pg_ctl are: ``THERA_PG_BIN``, else Debian's PostgreSQL 15."""
    path = Path(os.environ.get(PG_BIN_ENV, DEFAULT_BIN))
    if not (path / "initdb").exists():
        raise RuntimeError(
            f"PostgreSQL's initdb is not in {path}: run scripts/setup.sh (it installs Debian's "
            f"postgresql) or set {PG_BIN_ENV}")
    return path


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Cluster:
    """A running cluster; ``url(dbname)`` connects to one of its databases."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self._names = itertools.count(1)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self, template: str | None = None) -> str:
        """A new, empty database (or a copy of ``template``); returns its URL."""
        name = f"thera_{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            clause = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def restart(self) -> None:
        """Stop and start the server (connections are cut; data stays)."""
        bin_ = pg_bin()
        # The restarted server inherits pg_ctl's output: a log file, never a pipe, or waiting
        # for pg_ctl would wait for the server to end. It comes back on the same port, which is
        # free for the moment between stop and start: a restart is what is tested, and the
        # clients' addresses name that port (another process taking it fails the start loudly).
        subprocess.run(_as_owner([str(bin_ / "pg_ctl"), "-D", str(self.root / "data"), "-l",
                                  str(self.root / "log"), "-m", "fast", "-w", "restart", "-o",
                                  self._options()]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _options(self) -> str:
        return (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200")


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    """Start a cluster on a free loopback port; stop it and remove its files afterwards."""
    bin_ = pg_bin()
    root = Path(tempfile.mkdtemp(prefix="thera-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    root.chmod(0o700)
    cluster: Cluster | None = None
    try:
        subprocess.run(_as_owner([str(bin_ / "initdb"), "-D", str(root / "data"), "-A", "trust",
                                  "-U", "postgres", "-E", "UTF8", "-N"]),
                       check=True, capture_output=True)
        # PostgreSQL cannot be told port 0 (the port names its socket file and every client's
        # address), so a port chosen at random is tried: if another process holds it, start
        # fails and the next one is tried (no bind-release-bind window to lose).
        for _ in range(10):
            port = random.randint(20_000, 60_000)
            if _port_taken(port):
                continue
            cluster = Cluster(root, port)
            started = subprocess.run(
                _as_owner([str(bin_ / "pg_ctl"), "-D", str(root / "data"), "-l",
                           str(root / "log"), "-w", "-t", "60", "-o", cluster._options(),
                           "start"]), capture_output=True, text=True)
            if started.returncode == 0:
                break
            cluster = None
        if cluster is None:
            raise RuntimeError(f"PostgreSQL did not start: {(root / 'log').read_text()[-2000:]}")
        yield cluster
    finally:
        if cluster is not None:
            subprocess.run(_as_owner([str(bin_ / "pg_ctl"), "-D", str(root / "data"), "-m",
                                      "fast", "-w", "stop"]), capture_output=True)
            # The next cluster may want this port: go once PostgreSQL let it go (or 10 s on).
            with contextlib.suppress(AssertionError):
                wait_until(lambda: not _port_taken(cluster.port), "PostgreSQL to free its port",
                           timeout=10)
        shutil.rmtree(root, ignore_errors=True)
