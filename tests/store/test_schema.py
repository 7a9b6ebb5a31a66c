"""The schema: migrations applied once and recorded, SQL kept portable, views documented."""

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from thera_analytics.domain.errors import PracticeError
from thera_analytics.store import Database
from thera_analytics.store.database import DatabaseBusy
from thera_analytics.store.sql import migrations

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_are_recorded_and_not_reapplied(tmp_path):
    path = tmp_path / "p.duckdb"
    with Database(path) as db:
        versions = db.df("SELECT version FROM schema_migrations ORDER BY 1")["version"].tolist()
        assert versions == [v for v, _, _ in migrations()]
    with Database(path) as db:
        assert db.migrate() == []
        assert db.schema_version() == max(v for v, _, _ in migrations())


def _sql_files():
    for package in ("thera_analytics.store", "thera_analytics.reports"):
        root = resources.files(package)
        for folder in ("migrations", "queries"):
            directory = root / folder
            if directory.is_dir():
                yield from (f for f in directory.iterdir() if f.name.endswith(".sql"))


@pytest.mark.parametrize(
    "construct",
    [r"GROUP\s+BY\s+ALL", r"\bQUALIFY\b", r"GENERATED\s+ALWAYS", r"\bIDENTITY\b",
     r"ON\s+DELETE\s+CASCADE", r"CREATE\s+(UNIQUE\s+)?INDEX[^;]*\bWHERE\b", r"\bUSING\s+SAMPLE\b",
     r"\bEPOCH\s*\(", r"\bto_minutes\s*\("],
)
def test_sql_avoids_constructs_postgresql_lacks(construct):
    def code(f):
        return re.sub(r"--[^\n]*", "", f.read_text())  # comments may name what we avoid

    offenders = [f.name for f in _sql_files() if re.search(construct, code(f), flags=re.I)]
    assert offenders == []


def test_analyst_views_are_documented_column_by_column():
    dictionary = (ROOT / "docs" / "data-model.md").read_text()
    with Database(":memory:") as db:
        for view in ("session_facts", "note_backlog", "event_status"):
            columns = db.df(f"SELECT * FROM {view} LIMIT 0").columns
            missing = [c for c in columns if f"`{c}`" not in dictionary]
            assert missing == [], f"{view}: {missing} are not in docs/data-model.md"


def test_a_file_held_by_another_process_is_reported_clearly(tmp_path):
    path = tmp_path / "held.duckdb"
    Database(path).close()
    # The other process holds the file until its standard input closes (or it is killed).
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys; c = duckdb.connect({str(path)!r}); print('ready');"
         " sys.stdout.flush(); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseBusy, match="open in another process"):
            Database(path)
    finally:
        holder.kill()
        holder.wait()


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("this is not a database")
    with pytest.raises(PracticeError, match="db: cannot open"):
        Database(path)


def test_snapshot_is_consistent_and_readable_while_the_file_stays_open(tmp_path):
    from tests.factories import make_practice

    tp = make_practice(str(tmp_path / "live.duckdb"))
    event_id = tp.create()
    target = tp.db.snapshot(tmp_path / "snap.duckdb")
    tp.create(start=tp.details().start.replace(hour=12), end=tp.details().end.replace(hour=13))
    with Database(target, read_only=True) as snap:
        assert snap.df("SELECT id FROM events")["id"].tolist() == [event_id]
        assert len(snap.df("SELECT * FROM session_facts")) == 1
    tp.db.close()
