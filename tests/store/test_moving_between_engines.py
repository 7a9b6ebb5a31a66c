"""A practice moved between DuckDB and PostgreSQL, and analysts' DuckDB snapshots of PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.factories import make_practice, table_contents
from thera_analytics import reports
from thera_analytics.domain.errors import PracticeError
from thera_analytics.reports.source import open_for_reading
from thera_analytics.sample.generator import generate_practice
from thera_analytics.store import Database, copying
from thera_analytics.store.copying import copy_practice, verify_copy

NOW = datetime(2026, 10, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("engines") / "practice.duckdb"
    with Database(path) as db:
        generate_practice(db, clinicians=3, weeks=6, seed=11, end=date(2026, 10, 29), now=NOW,
                          time_zone="Australia/Sydney", progress=False)
    return path


def _rows(db: Database) -> dict[str, list[tuple]]:
    """Every practice table's rows, in a form both engines give alike."""
    out = {}
    for table in copying.practice_tables(db):
        frame = db.df(f'SELECT * FROM "{table}"')
        out[table] = sorted(map(repr, frame.astype(object).where(frame.notna(), None)
                                .itertuples(index=False, name=None)))
    return out


def test_a_practice_moves_to_postgresql_and_back_unchanged(sample: Path, pg_url: str,
                                                           tmp_path: Path) -> None:
    with Database(sample, read_only=True) as source:
        there = copy_practice(source, pg_url)
        before = _rows(source)
    with Database(pg_url) as pg:
        assert verify_copy(there, pg) == []
        assert there.rows > 1000 and {t.table for t in there.tables} >= {"events", "audit_log"}
        moved = {t.table: t.rows for t in there.tables}
        # The seeded reasons are replaced, not doubled; the sample's reasons come along.
        assert moved["cancellation_reasons"] == 10 and moved["cancellations"] > 10
        back = copy_practice(pg, tmp_path / "back.duckdb")
    with Database(tmp_path / "back.duckdb", read_only=True) as returned:
        assert _rows(returned) == before
        # Sequences carried: the next event gets the next id, not one already taken.
        assert back.sequences["event_id_seq"] == there.sequences["event_id_seq"]
    assert [(t.table, t.rows, t.checksum) for t in back.tables] == [
        (t.table, t.rows, t.checksum) for t in there.tables]


def test_a_moved_practice_keeps_working_on_postgresql(sample: Path, pg_url: str) -> None:
    with Database(sample, read_only=True) as source:
        copy_practice(source, pg_url)
        top = source.cursor().execute("SELECT max(id) FROM events").fetchone()[0]
    from thera_analytics.clock import FixedClock
    from thera_analytics.practice import Practice
    from thera_analytics.service import accounts

    with Database(pg_url) as db:
        practice = Practice(db, FixedClock(NOW))
        clinician = accounts.actor_for(db, "clinician1")
        week = practice.week(clinician, date(2026, 10, 19))
        event = practice.event(clinician, int(week["event_id"].iloc[0]))
        new = practice.create_event(clinician, _moved(event))
        assert new == [top + 1]


def _moved(event):
    from dataclasses import replace
    from datetime import timedelta

    from thera_analytics.domain.details import EventDetails

    return replace(EventDetails(kind=event.kind, clinician_id=event.clinician_id,
                                start=event.start, end=event.end, title=event.title,
                                service_id=event.service_id, client_ids=event.client_ids,
                                direct=event.direct),
                   start=event.start + timedelta(days=60), end=event.end + timedelta(days=60))


def test_a_move_into_a_database_that_holds_a_practice_is_refused(sample: Path,
                                                                 pg_url: str) -> None:
    tp = make_practice(pg_url)
    before = table_contents(tp.db)
    tp.db.close()
    with Database(sample, read_only=True) as source, pytest.raises(
            PracticeError, match="already holds a practice"):
        copy_practice(source, pg_url)
    with Database(pg_url) as db:
        assert table_contents(db) == before


def test_an_interrupted_move_leaves_the_target_empty(sample: Path, pg_url: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    real = copying._PostgresWriter.write

    def fail_at_reminders(self, table, data):
        if table == "reminders":
            raise ConnectionError("the network went away")
        return real(self, table, data)

    monkeypatch.setattr(copying._PostgresWriter, "write", fail_at_reminders)
    with Database(sample, read_only=True) as source, pytest.raises(ConnectionError):
        copy_practice(source, pg_url)
    with Database(pg_url) as db:
        counts = {t: db.cursor().execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in copying.practice_tables(db) if t not in copying.SEEDED_TABLES}
    assert set(counts.values()) == {0}, counts

    real_duck = copying._DuckDBWriter.write

    def fail_duck(self, table, data):
        if table == "plans":
            raise ConnectionError("the network went away")
        return real_duck(self, table, data)

    monkeypatch.setattr(copying._DuckDBWriter, "write", fail_duck)
    target = tmp_path / "half.duckdb"
    with Database(sample, read_only=True) as source, pytest.raises(ConnectionError):
        copy_practice(source, target)
    assert not list(tmp_path.glob("half.duckdb*"))


def test_reports_on_a_postgresql_snapshot_equal_reports_on_the_duckdb_practice(
        sample: Path, pg_url: str, tmp_path: Path) -> None:
    with Database(sample, read_only=True) as source:
        copy_practice(source, pg_url)
    start, end = date(2026, 9, 21), date(2026, 10, 29)
    with open_for_reading(sample) as duck, open_for_reading(pg_url) as snap:
        assert snap.is_snapshot and "Changes saved since then" in snap.freshness()
        copy_file = Path(snap.path)
        for by in ("clinician", "service", "kind", "weekday"):
            pd.testing.assert_frame_equal(reports.attendance_by(duck, by, start, end),
                                          reports.attendance_by(snap, by, start, end))
        pd.testing.assert_frame_equal(reports.backlog_items(duck, as_of=NOW),
                                      reports.backlog_items(snap, as_of=NOW))
        pd.testing.assert_frame_equal(reports.completion_by_week(duck, start, end, as_of=NOW),
                                      reports.completion_by_week(snap, start, end, as_of=NOW))
    assert not copy_file.exists()  # the copy made for this reader is gone once it is closed


def test_thera_move_prints_counts_and_checksums_and_snapshot_writes_a_stamped_copy(
        sample: Path, pg_url: str, tmp_path: Path) -> None:
    thera = [sys.executable, "-m", "thera_app.cli"]
    moved = subprocess.run([*thera, "move", "--from", str(sample), "--to", pg_url],
                           capture_output=True, text=True)
    assert moved.returncode == 0, moved.stderr
    assert "Row counts and checksums match on both sides." in moved.stdout
    assert "events" in moved.stdout and "audit_log" in moved.stdout
    again = subprocess.run([*thera, "move", "--from", str(sample), "--to", pg_url],
                           capture_output=True, text=True)
    assert again.returncode == 2 and "already holds a practice" in again.stderr
    assert "Traceback" not in again.stderr
    snap = tmp_path / "analyst.duckdb"
    made = subprocess.run([*thera, "snapshot", "--db", pg_url, "--to", str(snap)],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    with open_for_reading(snap) as copy:
        assert copy.is_snapshot
        assert copy.df("SELECT DISTINCT password_hash FROM users")["password_hash"].tolist() == [
            "!"]
