"""Analysts beside the running server: the stamped snapshot, reading it, and the same figures.

DuckDB lets only the server's process open the practice file; the server writes a consistent
snapshot beside it and ``open_for_reading`` falls back to it, saying how fresh it is.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers.waiting import wait_until
from tests.notebooks.sample_practice import AS_OF, build_sample
from thera_analytics import reports
from thera_analytics.domain.errors import PracticeError
from thera_analytics.reports import source
from thera_analytics.reports.export import write_report
from thera_analytics.store.database import Database, DatabaseBusy

ROOT = Path(__file__).resolve().parents[2]
THERA = Path(sys.executable).with_name("thera")
HOLD = textwrap.dedent("""
    import sys
    from thera_analytics.store.database import Database
    db = Database(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.readline()
""")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixed sample practice the notebooks' stored outputs were made with."""
    return build_sample(tmp_path_factory.mktemp("beside") / "practice.duckdb")


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Hold a database file read-write in another process, as ``thera serve`` does."""
    holders: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> None:
        proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        holders.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"

    yield hold
    for proc in holders:
        proc.communicate("\n", timeout=30)


def _copy_of(sample: Path, folder: Path) -> Path:
    target = folder / "practice.duckdb"
    target.write_bytes(sample.read_bytes())
    return target


# -- the snapshot file ----------------------------------------------------------------------------

def test_the_snapshot_lives_beside_the_file() -> None:
    assert source.snapshot_path("data/demo.duckdb") == Path("data/demo.snapshot.duckdb")
    assert source.snapshot_path("practice.db") == Path("practice.snapshot.db")


def test_a_snapshot_is_a_stamped_copy_without_password_hashes(sample: Path, tmp_path: Path
                                                              ) -> None:
    live = _copy_of(sample, tmp_path)
    with Database(live) as db:
        # The wall clock on purpose: a snapshot is stamped with the moment its file was
        # written (a fact about the file, not a rule taking the app's clock).
        before = datetime.now(UTC)
        info = source.take_snapshot(db, refresh_seconds=300)
        expected = reports.backlog_items(db, AS_OF)
    assert info.path == tmp_path / "practice.snapshot.duckdb" and info.path.exists()
    assert before <= info.taken_at <= datetime.now(UTC) and info.seconds > 0
    assert not list(tmp_path.glob("*.work*")) and not list(tmp_path.glob("*.tmp*"))
    with source.open_for_reading(info.path) as copy:
        assert copy.is_snapshot and copy.taken_at == info.taken_at
        assert copy.source_name == "practice.duckdb" and copy.refresh_seconds == 300
        assert copy.df("SELECT DISTINCT password_hash FROM users")["password_hash"].tolist() \
            == ["!"]
        views = copy.df("SELECT table_name FROM information_schema.tables"
                        " WHERE table_type = 'VIEW' ORDER BY 1")["table_name"].tolist()
        assert {"session_facts", "note_backlog", "event_status"} <= set(views)
        assert reports.backlog_items(copy, AS_OF).equals(expected)


def test_an_in_memory_database_has_nowhere_to_put_a_snapshot() -> None:
    with Database() as db, pytest.raises(PracticeError, match="in-memory"):
        source.take_snapshot(db)


def test_a_reader_keeps_its_snapshot_while_a_newer_one_replaces_it(sample: Path, tmp_path: Path
                                                                   ) -> None:
    live = _copy_of(sample, tmp_path)
    with Database(live) as db:
        first = source.take_snapshot(db)
        with source.open_for_reading(first.path) as old:
            count = old.df("SELECT count(*) AS n FROM comments")["n"].iloc[0]
            with db.transaction() as cur:
                cur.execute("INSERT INTO comments SELECT max(id) + 1, any_value(event_id),"
                            " any_value(author_id), now(), 'later' FROM comments")
            second = source.take_snapshot(db)
            assert second.taken_at > first.taken_at
            # The old reader still reads the copy it opened, whole and unchanged.
            assert old.df("SELECT count(*) AS n FROM comments")["n"].iloc[0] == count
        with source.open_for_reading(second.path) as new:
            assert new.df("SELECT count(*) AS n FROM comments")["n"].iloc[0] == count + 1


# -- reading beside a holder ----------------------------------------------------------------------

def test_a_held_file_is_read_through_its_snapshot_and_says_how_fresh(
        sample: Path, tmp_path: Path, held: Callable[[Path], None]) -> None:
    live = _copy_of(sample, tmp_path)
    with Database(live) as db:
        info = source.take_snapshot(db, refresh_seconds=300)
    held(live)
    with pytest.raises(DatabaseBusy):
        Database(live, read_only=True)
    with source.open_for_reading(live) as db:
        assert db.is_snapshot and db.requested == live and db.taken_at == info.taken_at
        assert db.age(info.taken_at + timedelta(minutes=3)) == timedelta(minutes=3)
        text = db.freshness(info.taken_at + timedelta(minutes=3))
        assert text.startswith("Reading the analyst snapshot of practice.duckdb taken ")
        assert "(3 min ago)" in text and "every 5 min" in text
        assert reports.backlog_by_clinician(db, AS_OF)["total"].sum() > 0


def test_a_held_file_without_a_snapshot_is_refused_naming_the_snapshot(
        sample: Path, tmp_path: Path, held: Callable[[Path], None]) -> None:
    live = _copy_of(sample, tmp_path)
    held(live)
    with pytest.raises(DatabaseBusy) as caught:
        source.open_for_reading(live)
    message = str(caught.value)
    assert "locked by another process" in message and "practice.snapshot.duckdb" in message


def test_the_live_file_reads_as_current(sample: Path) -> None:
    with source.open_for_reading(sample) as db:
        assert not db.is_snapshot and db.taken_at is None and db.age() == timedelta(0)
        assert db.freshness() == "Reading practice.duckdb itself: the data is current."


# -- the whole story: the server runs, the analyst's processes still work ----------------------

def _with_snapshot_loop(monkeypatch: pytest.MonkeyPatch, interval: float) -> None:
    """The server writes the analyst snapshot every ``interval`` seconds."""
    from thera_app import snapshots

    monkeypatch.setenv(snapshots.MINUTES_ENV, str(interval / 60))


def _wait_for(path: Path, timeout: float = 30.0) -> None:
    wait_until(path.exists, f"{path.name} to be written", timeout)


@pytest.mark.slow
def test_reports_and_notebooks_run_beside_the_server_with_the_same_figures(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import panel as pn

    from thera_analytics.clock import FixedClock
    from thera_app import server as thera_server

    live = _copy_of(sample, tmp_path)
    as_of = AS_OF.isoformat()
    # The figures, computed directly from the file before the server takes it.
    with source.open_for_reading(live) as db:
        direct_csv = _csv(db, as_of)
        direct_summary = reports.backlog_summary(db, "2026-10-19", "2026-11-15",
                                                 as_of=AS_OF).figures()

    _with_snapshot_loop(monkeypatch, interval=600)
    monkeypatch.setenv(thera_server.COOKIE_SECRET_ENV, "tests-only-not-a-real-secret")
    server = thera_server.serve(live, port=0, threaded=True, clock=FixedClock(AS_OF))
    try:
        _wait_for(source.snapshot_path(live))
        env = {**os.environ, "THERA_DB": str(live), "THERA_AS_OF": as_of}
        # Another process cannot open the file: the server holds it.
        probe = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
            import json
            from thera_analytics.reports import open_for_reading
            from thera_analytics.store.database import Database, DatabaseBusy
            try:
                Database({str(live)!r}, read_only=True)
                held = False
            except DatabaseBusy:
                held = True
            db = open_for_reading({str(live)!r})
            print(json.dumps({{"held": held, "snapshot": db.is_snapshot,
                               "freshness": db.freshness()}}))
        """)], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
        assert probe.returncode == 0, probe.stderr
        seen = json.loads(probe.stdout)
        assert seen["held"] and seen["snapshot"]
        assert seen["freshness"].startswith("Reading the analyst snapshot of practice.duckdb")

        # `thera report backlog` in its own process: the same CSV as before serving.
        report = subprocess.run([str(THERA), "report", "backlog", "--db", str(live),
                                 "--as-of", as_of], capture_output=True, text=True,
                                timeout=300, env=env, cwd=ROOT)
        assert report.returncode == 0, report.stderr
        assert report.stdout == direct_csv

        # The notebooks, run by nbval in their own process against the held file (not the
        # sample notebooks/conftest.py would generate): every stored output reproduced.
        notebooks = ["notebooks/unsigned_notes_backlog.ipynb",
                     "notebooks/practice_dashboard.ipynb"]
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "--noconftest", "--nbval", *notebooks,
             "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "--nbval-current-env",
             "-p", "no:cacheprovider", "-q"],
            capture_output=True, text=True, timeout=900, env=env, cwd=ROOT)
        assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
        assert " passed" in run.stdout and "failed" not in run.stdout
    finally:
        thera_server.stop(server)
        pn.state.kill_all_servers()
        pn.state.reset()
    # And the notebook's stored key figures are the ones computed directly before serving.
    stored = _key_figures_text(ROOT / "notebooks" / "unsigned_notes_backlog.ipynb")
    assert ast.literal_eval(stored) == direct_summary


def _csv(db: Database, as_of: str) -> str:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        write_report(db, "backlog", "csv", None, as_of=as_of)
    return out.getvalue()


def _key_figures_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "key-figures" in cell.get("metadata", {}).get("tags", []):
            for output in cell["outputs"]:
                if "text/plain" in output.get("data", {}):
                    return "".join(output["data"]["text/plain"])
    raise AssertionError("no key-figures output stored")


# -- the loop inside the server -------------------------------------------------------------------

def test_the_loop_writes_at_start_and_every_interval_until_stopped(sample: Path, tmp_path: Path
                                                                  ) -> None:
    from thera_analytics.reports import analyst_snapshot
    from thera_app import snapshots

    live = _copy_of(sample, tmp_path)
    with Database(live) as db:
        loop = snapshots.start_snapshot_loop(db, interval=0.3)
        try:
            _wait_for(source.snapshot_path(live))
            first = loop.last
            wait_until(lambda: loop.last is not first and loop.last is not None,
                       "a second snapshot")
            assert loop.last.taken_at > first.taken_at  # type: ignore[union-attr]
            assert analyst_snapshot.last_snapshot_time(db) == loop.last.taken_at
            assert analyst_snapshot.refresh_snapshot(db).taken_at > first.taken_at  # type: ignore
        finally:
            snapshots.stop_snapshot_loop(db)
        assert not loop.running and snapshots.snapshot_loop(db) is None
    with source.open_for_reading(source.snapshot_path(live)) as copy:
        assert copy.refresh_seconds == 0.3


def test_the_loop_ends_by_itself_when_the_database_closes(sample: Path, tmp_path: Path) -> None:
    from thera_app import snapshots

    live = _copy_of(sample, tmp_path)
    db = Database(live)
    loop = snapshots.start_snapshot_loop(db, interval=0.2)
    _wait_for(source.snapshot_path(live))
    db.close()
    loop._thread.join(10)
    assert not loop.running
    snapshots.stop_snapshot_loop(db)


def test_the_interval_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from thera_app import snapshots

    monkeypatch.delenv(snapshots.MINUTES_ENV, raising=False)
    assert snapshots.default_interval() == 300
    monkeypatch.setenv(snapshots.MINUTES_ENV, "1.5")
    assert snapshots.default_interval() == 90
    for bad in ("soon", "0", "-2"):
        monkeypatch.setenv(snapshots.MINUTES_ENV, bad)
        assert snapshots.default_interval() == 300
