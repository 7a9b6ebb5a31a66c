"""The analyst snapshot of a PostgreSQL practice: the same copy as `thera move`, without the
per-row checksums nobody compares (they were half of a snapshot's time)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.factories import make_practice
from thera_analytics.store import Database
from thera_analytics.store.copying import copy_practice, verify_copy


def test_a_snapshot_copy_skips_the_checksums_and_holds_the_same_rows(
        pg_url: str, tmp_path: Path) -> None:
    tp = make_practice(pg_url)
    for hour in (9, 11, 14):
        tp.create(start=datetime(2026, 6, 1, hour, 0), end=datetime(2026, 6, 1, hour, 50))
    checked = copy_practice(tp.db, tmp_path / "checked.duckdb")
    quick = copy_practice(tp.db, tmp_path / "quick.duckdb", checksums=False)
    tp.db.close()
    assert [(t.table, t.rows) for t in quick.tables] == [(t.table, t.rows) for t in checked.tables]
    assert all(t.checksum == "" for t in quick.tables)
    assert all(len(t.checksum) == 16 for t in checked.tables)
    with Database(tmp_path / "quick.duckdb", read_only=True) as snapshot:
        assert verify_copy(checked, snapshot) == []  # row for row what the checked copy wrote


def test_the_server_snapshot_of_postgresql_is_taken_without_checksums(
        pg_url: str, tmp_path: Path, monkeypatch) -> None:
    from thera_analytics.store import copying

    asked: list[bool] = []
    real = copying.copy_practice

    def spy(*args, **kwargs):  # the real copy runs; only the option asked for is recorded
        asked.append(kwargs.get("checksums", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(copying, "copy_practice", spy)
    tp = make_practice(pg_url)
    tp.db.snapshot(tmp_path / "analyst.duckdb")
    tp.db.close()
    assert asked == [False]
    assert (tmp_path / "analyst.duckdb").exists()
