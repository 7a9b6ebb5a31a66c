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
from thera_analytics.store.sql import migrations, query


def utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, 1, hour, minute, tzinfo=UTC)


def test_an_older_practice_gets_its_history_from_the_audit_log(tmp_path, monkeypatch):
    path = str(tmp_path / "old.duckdb")
    with monkeypatch.context() as m:  # the code and schema as they were before migration 008
        m.setattr(database_module, "migrations", lambda engine=None: migrations(engine)[:7])
        m.setattr(history, "record", lambda *args, **kwargs: None)
        m.setattr(history, "record_known", lambda *args, **kwargs: None)
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
        "SELECT count(*) FROM events e LEFT JOIN event_history_spans h ON h.event_id = e.id"
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


def test_migration_010_works_out_each_clients_first_visit_over_time_from_the_history(
        tmp_path, monkeypatch):
    path = str(tmp_path / "before010.duckdb")

    def record_before_010(cur, event_id, now, *, clients=True):  # without first visits
        cur.execute("UPDATE event_history SET valid_to = ? WHERE event_id = ?"
                    " AND valid_to IS NULL", [now, event_id])
        for step in ("history_open", "history_close_clients", "history_open_clients"):
            cur.execute(query(step), [now, event_id])

    def record_known_before_010(cur, rec, version, now, completion, changed_by):
        record_before_010(cur, rec.id, now, clients=False)

    with monkeypatch.context() as m:  # the code and schema as they were before migration 010
        m.setattr(database_module, "migrations", lambda engine=None: migrations(engine)[:9])
        m.setattr(history, "record", record_before_010)
        m.setattr(history, "record_known", record_known_before_010)
        tp = make_practice(path)
        assert tp.db.schema_version() == 9
        created = tp.clock()
        first = tp.create()
        second = tp.create(start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
        tp.clock.set(utc(9))
        tp.practice.cancel(tp.ann, first, tp.version(first), reason="client_illness")
        tp.db.close()

    db = Database(path)
    assert db.schema_version() == len(migrations())
    assert [tuple(r) for r in db.cursor().execute(
        "SELECT client_id, valid_from, valid_to, event_id FROM first_visit_history"
        " ORDER BY valid_from").fetchall()] == [
        (tp.clients[0], created, utc(9), first), (tp.clients[0], utc(9), None, second)]
    db.close()


def test_the_sample_practices_first_visits_are_set_based_and_equal_the_sweep(tmp_path):
    from thera_analytics.sample.generator import generate_practice

    db = Database(str(tmp_path / "sample.duckdb"))
    generate_practice(db, clinicians=3, weeks=10, seed=5, now=datetime(2026, 6, 12, 6,
                                                                       tzinfo=UTC))
    cur = db.cursor()
    rows = "SELECT * FROM first_visit_history ORDER BY client_id, valid_from"
    set_based = cur.execute(rows).fetchall()
    # Each client's first visit now is the one event_clients.first_visit marks.
    assert sorted((r[0], r[3]) for r in set_based if r[2] is None) == sorted(
        tuple(r) for r in cur.execute(
            "SELECT client_id, event_id FROM event_clients WHERE first_visit").fetchall())
    assert any(r[2] is not None for r in set_based)  # a later booking came first
    with db.transaction() as tx:
        history.rebuild_first_visits(tx, sweep=True)
    assert cur.execute(rows).fetchall() == set_based
    db.close()
