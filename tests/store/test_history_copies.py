"""The event history travels with the practice: analysts' snapshots and `thera move` carry it,
and a moved practice goes on writing versions after the ones it brought."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.factories import make_practice
from thera_analytics import reports
from thera_analytics.practice import Practice
from thera_analytics.reports.source import ReadOnlyPractice, take_snapshot
from thera_analytics.store import Database
from thera_analytics.store.copying import copy_practice

HISTORY = ("SELECT event_id, version, valid_from, valid_to, status, signed_at, completed_at"
           " FROM event_history_spans ORDER BY event_id, version")
CLIENTS = "SELECT * FROM event_client_history ORDER BY event_id, version, client_id"
FIRST_VISITS = "SELECT * FROM first_visit_history ORDER BY client_id, valid_from"


def test_snapshots_and_moves_carry_the_history(tmp_path: Path, pg_url: str) -> None:
    tp = make_practice(str(tmp_path / "practice.duckdb"))
    p = tp.practice
    e = tp.create()
    tp.clock.advance(timedelta(hours=3))
    v = p.save_plan(tp.ann, e, tp.version(e), "Plan")
    v = p.record_attendance(tp.ann, e, v, {tp.clients[0]: "attended"})
    tp.clock.advance(timedelta(hours=1))
    p.sign(tp.ann, e, v)
    signed = tp.clock()
    tp.clock.advance(timedelta(hours=1))
    p.save_plan(tp.ann, e, tp.version(e), "Plan, amended")
    cur = tp.db.cursor()
    kept = cur.execute(HISTORY).fetchall(), cur.execute(CLIENTS).fetchall()
    assert len(kept[0]) == 5
    first_visits = cur.execute(FIRST_VISITS).fetchall()
    assert len(first_visits) == 1

    snapshot = take_snapshot(tp.db, tmp_path / "snap.duckdb")
    with ReadOnlyPractice(snapshot.path) as copy:
        cur = copy.cursor()
        assert (cur.execute(HISTORY).fetchall(), cur.execute(CLIENTS).fetchall()) == kept
        assert cur.execute(FIRST_VISITS).fetchall() == first_visits
        assert reports.session_facts_as_of(copy, signed)["plan_saved_at"].tolist() == [
            signed - timedelta(hours=1)]

    moved = copy_practice(tp.db, pg_url)
    assert {"event_history", "event_client_history", "first_visit_history"} <= {
        t.table for t in moved.tables}
    tp.db.close()
    with Database(pg_url) as pg:
        cur = pg.cursor()
        assert (cur.execute(HISTORY).fetchall(), cur.execute(CLIENTS).fetchall()) == kept
        assert cur.execute(FIRST_VISITS).fetchall() == first_visits
        # The moved practice goes on: the next change closes the version it brought.
        tp.clock.advance(timedelta(hours=1))
        there = Practice(pg, tp.clock)
        there.save_plan(tp.ann, e, there.event(tp.ann, e).version, "Plan, amended again")
        last = cur.execute(HISTORY).fetchall()[-2:]
        assert [(r[1], r[3]) for r in last] == [(5, tp.clock()), (6, None)]
        assert last[1][2] == tp.clock() and tp.clock() > datetime(2026, 6, 1, tzinfo=UTC)
