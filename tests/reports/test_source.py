"""Opening a practice database for reading, beside a server that holds it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from thera_analytics.domain.errors import PracticeError, ValidationError
from thera_analytics.reports import source
from thera_analytics.store.database import Database, DatabaseBusy


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PracticeError, match="does not exist"):
        source.open_for_reading(tmp_path / "nope.duckdb")


def test_a_missing_relative_file_is_named_by_its_absolute_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PracticeError) as caught:
        source.open_for_reading("data/nope.duckdb")
    assert str(tmp_path / "data" / "nope.duckdb") in str(caught.value)


def test_a_file_held_by_another_process_is_reported_as_locked(tmp_path: Path) -> None:
    path = tmp_path / "practice.duckdb"
    Database(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from thera_analytics.store.database import Database
            db = Database({str(path)!r})
            print("holding", flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(DatabaseBusy) as caught:
            source.open_for_reading(path)
        assert "locked by another process" in str(caught.value)
        assert "thera serve" in str(caught.value)
    finally:
        holder.communicate("\n", timeout=30)
    with source.open_for_reading(path) as db:  # once the holder has gone, reading works
        assert db.read_only


def test_instants() -> None:
    assert source.instant("2026-11-20T18:00") == datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    sydney = timezone(timedelta(hours=11))
    assert source.instant(datetime(2026, 11, 21, 5, 0, tzinfo=sydney)) == datetime(
        2026, 11, 20, 18, 0, tzinfo=UTC)
    with pytest.raises(ValidationError):
        source.instant("tomorrow")
    with pytest.raises(ValidationError):
        source.instant(date(2026, 11, 20))  # type: ignore[arg-type]


def test_filters_must_be_ids() -> None:
    assert source.filter_params("3", None) == [3, 3, None, None]
    with pytest.raises(ValidationError) as caught:
        source.filter_params(None, "physio")
    assert caught.value.field == "service_id"


def test_text_from_the_database_is_inert_in_markdown() -> None:
    assert source.escape_markdown("<img src=x onerror=alert(1)> *Jo* [a](b) &amp;") == (
        r"&lt;img src=x onerror=alert(1)&gt; \*Jo\* \[a\](b) &amp;amp;")


def test_dates_and_hyphens_read_as_they_are_in_markdown() -> None:
    """Only what could change the rendering is escaped: dates keep their hyphens."""
    assert source.escape_markdown("2026-08-17 09:00, O'Neil-Smith (Jr.) #2 +1 !") == (
        "2026-08-17 09:00, O'Neil-Smith (Jr.) #2 +1 !")


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT+12",
                                  "Australia/Sydney", "UTC"])
def test_the_client_rows_of_a_reports_days_are_read_whatever_the_zone(zone: str) -> None:
    """As of an instant, a report of local days reads the history's client rows of those days
    only: every start on them, in any zone, is kept, and starts days away are not."""
    local = ZoneInfo(zone)
    first, last = date(2026, 5, 1), date(2026, 5, 31)
    window = source.as_of_sql("SELECT 1", datetime(2026, 6, 9, tzinfo=UTC), (first, last))
    keep = [datetime(2026, 5, 1, 0, 0, tzinfo=local), datetime(2026, 5, 31, 23, 59, tzinfo=local)]
    drop = [datetime(2026, 4, 28, 12, 0, tzinfo=UTC), datetime(2026, 6, 3, 12, 0, tzinfo=UTC)]
    con = duckdb.connect()
    con.execute("CREATE TABLE event_client_history (event_id INTEGER, client_id INTEGER,"
                " attendance VARCHAR, starts_at TIMESTAMPTZ, live BOOLEAN,"
                " valid_from TIMESTAMPTZ, valid_to TIMESTAMPTZ)")
    for i, at in enumerate(keep + drop):
        con.execute("INSERT INTO event_client_history VALUES (?, 1, NULL, ?, TRUE, ?, NULL)",
                    [i, at, datetime(2026, 1, 1, tzinfo=UTC)])
    tables = window.removeprefix("WITH ").rsplit("\nSELECT 1", 1)[0].rstrip().rstrip(",")
    read = con.execute(f"WITH {tables} SELECT event_id FROM thera_client_versions"
                       " ORDER BY event_id").fetchall()
    assert [row[0] for row in read] == [0, 1]
    everything = source.as_of_sql("SELECT 1", datetime(2026, 6, 9, tzinfo=UTC))
    assert "starts_at >=" not in everything and "starts_at >=" in window
