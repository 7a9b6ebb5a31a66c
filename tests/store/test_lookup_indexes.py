"""Migration 012: PostgreSQL's lookup indexes, on new and existing databases, and the week and
the plan's pre-fill reading through them; DuckDB gets none (sessions still move there)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_practice
from thera_analytics.sample.generator import generate_practice
from thera_analytics.store import Database, copying
from thera_analytics.store import database as database_module
from thera_analytics.store.postgres import bind
from thera_analytics.store.sql import migrations, query

# (index, table, its columns as pg_indexes writes them)
LOOKUP_INDEXES = {
    ("events_by_week", "events", "(week_start, clinician_id)"),
    ("events_by_clinician", "events", "(clinician_id, starts_at)"),
    ("events_by_series", "events", "(series_id, starts_at)"),
    ("event_clients_by_client", "event_clients", "(client_id)"),
    ("event_team_members_by_clinician", "event_team_members", "(clinician_id, event_id)"),
    ("reminders_by_event", "reminders", "(event_id)"),
    ("reminders_by_due", "reminders", "(state, due_at)"),
    ("amendments_by_event", "amendments", "(event_id)"),
    ("comments_by_event", "comments", "(event_id)"),
    ("notifications_by_client", "notifications", "(client_id)"),
}
NAMES = {name for name, _, _ in LOOKUP_INDEXES}


def _pg_indexes(db: Database) -> set[tuple[str, str, str]]:
    rows = db.cursor().execute(
        "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
    ).fetchall()
    return {(name, table, definition[definition.rindex(" USING btree ") + 13:])
            for name, table, definition in rows if name in NAMES}


def _duckdb_indexes(db: Database) -> set[str]:
    return {name for (name,) in db.cursor().execute(
        "SELECT index_name FROM duckdb_indexes()").fetchall()}


def test_postgresql_has_the_lookup_indexes(pg_url: str) -> None:
    with Database(pg_url) as db:
        assert db.schema_version() == len(migrations())
        assert _pg_indexes(db) == LOOKUP_INDEXES


def test_duckdb_records_the_version_without_the_indexes() -> None:
    with Database(":memory:") as db:
        assert db.schema_version() == len(migrations())
        assert _duckdb_indexes(db) & NAMES == set()


def test_each_engine_reads_its_own_form_of_migration_012() -> None:
    common = dict((v, sql) for v, _, sql in migrations())
    duckdb = dict((v, sql) for v, _, sql in migrations("duckdb"))
    postgresql = dict((v, sql) for v, _, sql in migrations("postgresql"))
    assert duckdb == common
    assert "CREATE INDEX" not in duckdb[12] and "CREATE INDEX events_by_week" in postgresql[12]
    assert {v: s for v, s in postgresql.items() if v != 12} == {
        v: s for v, s in common.items() if v != 12}


def _an_existing_practice(target: str, monkeypatch: pytest.MonkeyPatch):
    """A practice made by the code before migration 012, with a session; reopened after."""
    with monkeypatch.context() as m:
        m.setattr(database_module, "migrations", lambda engine=None: migrations(engine)[:11])
        tp = make_practice(target)
        assert tp.db.schema_version() == 11
        event_id = tp.create()
        if target == ":memory:":
            return tp, event_id  # an in-memory database cannot be reopened: migrate it here
        tp.db.close()
    tp.practice.db = Database(target)
    return tp, event_id


def test_an_existing_postgresql_database_gets_the_indexes(pg_cluster, monkeypatch) -> None:
    url = pg_cluster.create_database()  # empty: migrated by the old code, then reopened
    try:
        tp, event_id = _an_existing_practice(url, monkeypatch)
        db = tp.practice.db
        assert db.schema_version() == len(migrations())
        assert _pg_indexes(db) == LOOKUP_INDEXES
        assert tp.practice.event(tp.manager, event_id).version == 1  # its rows untouched
        db.close()
    finally:
        pg_cluster.drop_database(url)


def test_an_existing_duckdb_file_moves_sessions_after_012(tmp_path, monkeypatch) -> None:
    tp, event_id = _an_existing_practice(str(tmp_path / "old.duckdb"), monkeypatch)
    db = tp.practice.db
    assert db.schema_version() == len(migrations()) and _duckdb_indexes(db) & NAMES == set()
    # What an index on events' columns would refuse on DuckDB (see 012_lookup_indexes.sql):
    # moving a session that other tables reference.
    record = tp.practice.event(tp.ann, event_id)
    tp.practice.save_plan(tp.ann, event_id, record.version, "Plan")
    later = record.start + timedelta(days=1)
    tp.practice.reschedule(tp.ann, event_id, tp.version(event_id), later,
                           later + (record.end - record.start))
    assert tp.practice.event(tp.ann, event_id).start == later
    db.close()


@pytest.fixture(scope="module")
def analysed_practice(pg_cluster, tmp_path_factory) -> str:
    """A generated practice (about 19,000 events) moved into PostgreSQL and analysed."""
    now = datetime(2026, 10, 30, 9, 0, tzinfo=UTC)
    path = tmp_path_factory.mktemp("indexes") / "practice.duckdb"
    with Database(path) as db:
        generate_practice(db, clinicians=12, weeks=52, seed=5, end=date(2026, 10, 29), now=now,
                          time_zone="Australia/Sydney", progress=False)
    url = pg_cluster.create_database()
    with Database(path, read_only=True) as source:
        copying.copy_practice(source, url, checksums=False)
    with Database(url) as db:
        db.cursor().execute("VACUUM ANALYZE")
    yield url
    pg_cluster.drop_database(url)


def _plan(db: Database, name: str, params: list) -> str:
    text, bound = bind(query(name, engine="postgresql"), params)
    rows = db.cursor().connection.execute("EXPLAIN " + text, bound).fetchall()
    return "\n".join(line for (line,) in rows)


def test_a_clinicians_week_reads_through_the_week_index(analysed_practice: str) -> None:
    with Database(analysed_practice) as db:
        cur = db.cursor()
        assert cur.execute("SELECT count(*) FROM events").fetchone()[0] > 15_000
        clinician, monday = cur.execute(
            "SELECT clinician_id, week_start FROM events ORDER BY id LIMIT 1 OFFSET 5000"
        ).fetchone()
        plan = _plan(db, "calendar_week", [monday, clinician, clinician, clinician])
        assert "events_by_week" in plan
        assert "Seq Scan on events" not in plan


def test_the_plans_prefill_finds_a_clients_sessions_through_the_client_index(
        analysed_practice: str) -> None:
    with Database(analysed_practice) as db:
        event_id, clinician, start, client = db.cursor().execute(
            "SELECT e.id, e.clinician_id, e.starts_at, ec.client_id FROM events e"
            " JOIN event_clients ec ON ec.event_id = e.id ORDER BY e.id DESC LIMIT 1"
        ).fetchone()
        plan = _plan(db, "plan_prefill", [clinician, start, event_id, client, 1, [client], 1])
        assert "event_clients_by_client" in plan
        assert "Seq Scan on event_clients" not in plan
