"""Migration 008 fills the event history of a practice written before it: replayed from the
audit log where the log accounts for every version of an event, else one version from the
event's rows, valid from its creation."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_practice
from tests.service.history_support import history_matches_rows, versions
from thera_analytics import reports
from thera_analytics.service import cancellations
from thera_analytics.store import Database, history
from thera_analytics.store import database as database_module
from thera_analytics.store.sql import migrations


def utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, 1, hour, minute, tzinfo=UTC)


def test_an_older_practice_gets_its_history_from_the_audit_log(tmp_path, monkeypatch):
    path = str(tmp_path / "old.duckdb")
    with monkeypatch.context() as m:  # the code and schema as they were before migration 008
        m.setattr(database_module, "migrations", lambda: migrations()[:7])
        m.setattr(history, "record", lambda *args, **kwargs: None)
        m.setattr(cancellations, "load_reasons", lambda cur: {})  # no reasons list before 009
        tp = make_practice(path)
        assert tp.db.schema_version() == 7
        p = tp.practice
        replayed = tp.create(start=datetime(2026, 6, 1, 8, 0), end=datetime(2026, 6, 1, 8, 50))
        tp.clock.set(utc(9, 30))
        v = p.save_plan(tp.ann, replayed, tp.version(replayed), "Plan")
        v = p.record_attendance(tp.ann, replayed, v, {tp.clients[0]: "attended"})
        tp.clock.set(utc(10))
        v = p.sign(tp.ann, replayed, v)
        tp.clock.set(utc(20))
        p.save_plan(tp.ann, replayed, v, "Plan, amended")
        # An event changed outside the use cases: its audit log does not end in its rows.
        unaudited = tp.create(start=datetime(2026, 6, 1, 12, 0), end=datetime(2026, 6, 1, 12, 50))
        tp.db.cursor().execute("UPDATE events SET title = 'moved by hand', starts_at = ?"
                               " WHERE id = ?", [utc(11, 30), unaudited])
        tp.db.close()

    db = Database(path)
    assert db.schema_version() == len(migrations())
    tp.practice.db = db
    assert versions(tp, replayed) == [
        (1, datetime(2026, 6, 1, 7, 0, tzinfo=UTC), utc(9, 30)), (2, utc(9, 30), utc(9, 30)),
        (3, utc(9, 30), utc(10)), (4, utc(10), utc(20)), (5, utc(20), None)]
    assert versions(tp, unaudited) == [(1, utc(20), None)]  # created at 20:00 by the clock
    assert history_matches_rows(tp, replayed) and history_matches_rows(tp, unaudited)
    # As of noon the replayed note was complete: its plan was the morning's.
    items = reports.backlog_items(db, utc(12))
    assert items["event_id"].tolist() == []
    db.close()


def test_the_sample_practice_has_a_version_of_every_event(tmp_path):
    from thera_analytics.sample.generator import generate_practice

    db = Database(str(tmp_path / "sample.duckdb"))
    generate_practice(db, clinicians=2, weeks=6, seed=3,
                      now=datetime(2026, 6, 12, 6, tzinfo=UTC))
    cur = db.cursor()
    assert cur.execute(
        "SELECT count(*) FROM events e LEFT JOIN event_history h ON h.event_id = e.id"
        " AND h.valid_to IS NULL AND h.version = e.version AND h.valid_from = e.created_at"
        " AND h.completed_at IS NOT DISTINCT FROM e.completed_at WHERE h.event_id IS NULL"
    ).fetchone() == (0,)
    assert cur.execute(
        "SELECT (SELECT count(*) FROM event_clients),"
        " (SELECT count(*) FROM event_client_history)").fetchone()[0] > 0
    assert cur.execute(
        "SELECT count(*) FROM event_clients ec LEFT JOIN event_client_history c"
        " ON c.event_id = ec.event_id AND c.client_id = ec.client_id"
        " AND c.attendance IS NOT DISTINCT FROM ec.attendance WHERE c.event_id IS NULL"
    ).fetchone() == (0,)
    db.close()
