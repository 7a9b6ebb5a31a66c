"""A PostgreSQL practice served by several processes: they share the port, the records and the
sign-in, a killed process is replaced while the others serve, and of two processes saving the
same record exactly one wins."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.factories import make_practice
from tests.helpers.output import Lines
from tests.helpers.waiting import wait_until

SECRET = "several-processes-tests-only"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _sign_in(base: str, username: str = "ann") -> requests.Session:
    http = requests.Session()
    r = http.post(f"{base}/login", data={"username": username, "password": "demo"},
                  allow_redirects=False, timeout=30)
    assert r.status_code == 302, r.status_code
    return http


@pytest.fixture
def two_processes(pg_url: str) -> Iterator[tuple[subprocess.Popen, str]]:
    tp = make_practice(pg_url)
    tp.create()
    tp.db.close()
    env = {**os.environ, "THERA_COOKIE_SECRET": SECRET, "THERA_SNAPSHOT_MINUTES": "60"}
    # Port 0: the port is bound once, before the fork, where the system chooses; the first
    # process says which once it listens.
    server = subprocess.Popen(
        [sys.executable, "-m", "thera_app.cli", "serve", "--db", pg_url, "--port", "0",
         "--processes", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)
    assert server.stdout is not None
    said = Lines(server.stdout, "thera serve --processes 2")
    try:
        port = int(said.wait_for(r"^Serving on http://[^/]+:(\d+)/", timeout=60)[1])
    except BaseException:
        _stop(server)
        raise
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        _stop(server)


def test_two_processes_serve_one_practice_and_a_killed_one_is_replaced(two_processes) -> None:
    server, base = two_processes
    with contextlib.suppress(AssertionError):
        wait_until(lambda: len(_children(server.pid)) >= 2, "two worker processes", 30,
                   interval=0.1)
    workers = _children(server.pid)
    assert len(workers) == 2, workers
    # A cookie signed by one process is accepted by the other: every request is a new
    # connection, which the kernel hands to either process.
    http = _sign_in(base)
    for _ in range(8):
        page = http.get(f"{base}/scheduler", timeout=30)
        assert page.status_code == 200 and "bokeh" in page.text.lower()
        http.close()
    os.kill(workers[0], signal.SIGKILL)
    for _ in range(8):  # the other process carries on meanwhile
        page = _sign_in(base).get(f"{base}/scheduler", timeout=30)
        assert page.status_code == 200
    with contextlib.suppress(AssertionError):
        wait_until(lambda: len(_children(server.pid)) >= 2
                   and workers[0] not in _children(server.pid),
                   "the killed worker to be replaced", 30, interval=0.1)
    replaced = _children(server.pid)
    assert len(replaced) == 2 and workers[0] not in replaced and workers[1] in replaced


def test_a_duckdb_file_is_refused_for_several_processes(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    make_practice(str(path)).db.close()
    run = subprocess.run([sys.executable, "-m", "thera_app.cli", "serve", "--db", str(path),
                          "--processes", "2"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "processes: a DuckDB file is held by one process" in run.stderr


SAVE = """
import sys
from datetime import datetime, UTC
from thera_analytics.clock import FixedClock
from thera_analytics.domain.errors import ConflictError
from thera_analytics.practice import Practice
from thera_analytics.service import accounts
url, event_id, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
p = Practice.open(url, FixedClock(datetime(2026, 6, 1, 9, 0, tzinfo=UTC)))
ann = accounts.actor_for(p.db, "ann")
print("ready", flush=True)
sys.stdin.readline()  # the go: both processes are ready, connected, and save at once
try:
    p.save_plan(ann, event_id, version, "plan from " + sys.argv[4])
    print("saved")
except ConflictError as exc:
    print("conflict:", exc)
"""


def test_of_two_processes_saving_one_record_exactly_one_wins(pg_url: str) -> None:
    tp = make_practice(pg_url)
    event_id = tp.create()
    version = tp.version(event_id)
    tp.db.close()
    runs = [subprocess.Popen([sys.executable, "-c", SAVE, pg_url, str(event_id), str(version),
                              name], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for name in ("first", "second")]
    for run in runs:  # each says when it is connected; then both are told to go at once
        assert run.stdout is not None and run.stdout.readline().strip() == "ready", (
            run.communicate(timeout=120))
    results = [r.communicate("go\n", timeout=120) for r in runs]
    outcomes = sorted(out.strip().split(":")[0] for out, _ in results)
    assert outcomes == ["conflict", "saved"], results
    assert any("was changed by someone else" in out for out, _ in results)
    from thera_analytics.practice import Practice
    from thera_analytics.service import accounts

    with Practice.open(pg_url).db as db:
        manager = accounts.actor_for(db, "manager")
        record = Practice(db).event(manager, event_id)
    assert record.version == version + 1 and record.plan_text.startswith("plan from ")
