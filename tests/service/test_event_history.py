"""Every change to an event writes its new version to the event history in the same
transaction, and reports as of a past instant read those versions (issue 17, items 1 and 2).
Runs on DuckDB and PostgreSQL (``tp``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from tests.factories import table_contents
from tests.service.history_support import (
    client_rows,
    current_version,
    first_visits,
    history_matches_rows,
    reading,
    versions,
)
from thera_analytics import reports
from thera_analytics.domain.errors import ConflictError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.recurrence import Recurrence
from thera_analytics.reports.source import reads_history


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


def test_every_change_to_an_event_writes_a_version_closing_the_one_before(tp):
    p = tp.practice
    e = tp.create()  # Monday 1 June, 10:00-10:50 London (09:00 UTC)
    assert versions(tp, e) == [(1, tp.clock(), None)]
    assert history_matches_rows(tp, e)
    steps = [
        lambda v: p.update_details(tp.ann, e, v, replace(
            tp.details(), client_ids=(tp.clients[0], tp.clients[1]))),
        lambda v: p.reschedule(tp.ann, e, v, datetime(2026, 6, 1, 11, 0),
                               datetime(2026, 6, 1, 11, 50)) and tp.version(e),
        lambda v: p.save_plan(tp.ann, e, v, "Graded exposure"),
        lambda v: p.record_attendance(tp.ann, e, v, {tp.clients[0]: "attended",
                                                     tp.clients[1]: "no_show"}),
        lambda v: p.sign(tp.ann, e, v),
        lambda v: p.save_plan(tp.ann, e, v, "Graded exposure, amended"),  # an amendment
    ]
    instants = [tp.clock()]
    for step in steps:
        tp.clock.set(instants[-1] + timedelta(hours=1))
        instants.append(tp.clock())
        step(tp.version(e))
        assert history_matches_rows(tp, e)
    # One version per change, each valid until the next began, the last one open.
    assert versions(tp, e) == [
        (i + 1, instants[i], instants[i + 1] if i + 1 < len(instants) else None)
        for i in range(len(instants))]
    kept = current_version(tp, e)
    assert kept["clients"] == {tp.clients[0]: "attended", tp.clients[1]: "no_show"}
    assert kept["completed_at"] == instants[-1]  # the amended plan moved completion


def test_a_plan_or_a_signature_keeps_the_client_rows_a_new_attendance_closes_them(tp):
    p = tp.practice
    e = tp.create()
    opened = tp.clock()
    tp.clock.set(opened + timedelta(hours=1))
    v = p.save_plan(tp.ann, e, tp.version(e), "Graded exposure")
    tp.clock.set(opened + timedelta(hours=2))
    v = p.record_attendance(tp.ann, e, v, {tp.clients[0]: "attended"})
    marked = tp.clock()
    tp.clock.set(opened + timedelta(hours=3))
    p.sign(tp.ann, e, v)
    assert [r[0] for r in versions(tp, e)] == [1, 2, 3, 4]
    # The plan and the signature left the client as it was: its row stays open across them.
    assert client_rows(tp, e) == [(1, tp.clients[0], None, opened, marked),
                                  (3, tp.clients[0], "attended", marked, None)]
    assert history_matches_rows(tp, e)


def test_series_changes_and_cancellations_write_a_version_of_each_event(tp):
    p = tp.practice
    ids = p.create_event(tp.ann, tp.details(), repeat=Recurrence(interval_weeks=1, count=3))
    tp.clock.advance(timedelta(hours=1))
    p.reschedule(tp.ann, ids[1], tp.version(ids[1]), datetime(2026, 6, 8, 12, 0),
                 datetime(2026, 6, 8, 12, 50), scope="following")
    tp.clock.advance(timedelta(hours=1))
    p.cancel(tp.ann, ids[1], tp.version(ids[1]), scope="following", reason="weather")
    assert [len(versions(tp, i)) for i in ids] == [1, 3, 3]
    for event_id in ids:
        assert history_matches_rows(tp, event_id)
    assert current_version(tp, ids[2])["cancelled_at"] == tp.clock()


def test_a_refused_change_writes_no_version(tp):
    e = tp.create()
    tp.clock.advance(timedelta(hours=2))
    before = table_contents(tp.db)
    with pytest.raises(ConflictError):
        tp.practice.save_plan(tp.ann, e, tp.version(e) + 1, "stale copy")
    assert table_contents(tp.db) == before


def test_two_changes_at_one_instant_are_two_versions_and_the_later_one_counts(tp):
    p = tp.practice
    e = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False)
    tp.clock.advance(timedelta(hours=3))
    v = p.record_status(tp.ann, e, tp.version(e), "completed")
    p.record_status(tp.ann, e, v, "on_hold")  # same instant
    at = tp.clock()
    assert versions(tp, e)[1:] == [(2, at, at), (3, at, None)]
    assert current_version(tp, e)["status"] == "on_hold"


# -- the three cases of issue 17, reproduced -------------------------------------------------
def test_a_plan_amended_in_the_evening_does_not_make_the_morning_backlog_miss_a_plan(
        tp, tmp_path):
    """Signed at 10:00, plan amended at 20:00: as of 12:00 the note was complete."""
    p = tp.practice
    e = tp.create(start=datetime(2026, 6, 1, 8, 0), end=datetime(2026, 6, 1, 8, 50))  # 07:00 UTC
    tp.clock.set(utc(1, 9, 30))
    v = p.save_plan(tp.ann, e, tp.version(e), "Graded exposure")
    v = p.record_attendance(tp.ann, e, v, {tp.clients[0]: "attended"})
    tp.clock.set(utc(1, 10))
    v = p.sign(tp.ann, e, v)
    tp.clock.set(utc(1, 20))
    p.save_plan(tp.ann, e, v, "Graded exposure, with the homework reworded")
    with reading(tp, tmp_path) as db:
        assert reads_history(db, utc(1, 12))
        assert reports.backlog_items(db, utc(1, 12)).empty
        week = reports.completion_by_week(db, "2026-06-01", "2026-06-07", as_of=utc(1, 12))
        assert week[["ended", "plan", "outcome", "complete"]].values.tolist() == [[1, 1, 1, 1]]
        facts = reports.session_facts_as_of(db, utc(1, 12))
        assert facts["plan_saved_at"].tolist() == [utc(1, 9, 30)]
        assert facts["completed_at"].tolist() == [utc(1, 10)]
        # Now the plan's last save is the evening's, and completion moved with it.
        assert reports.session_facts(db)["completed_at"].tolist() == [utc(1, 20)]


def test_an_unsigned_session_cancelled_on_4_june_is_in_the_backlog_as_of_3_june(tp, tmp_path):
    e = tp.create()  # Monday 1 June, not planned, marked or signed
    tp.clock.set(utc(4, 9))
    tp.practice.cancel(tp.ann, e, tp.version(e), reason="client_illness")
    with reading(tp, tmp_path) as db:
        items = reports.backlog_items(db, utc(3, 12))
        assert items["event_id"].tolist() == [e]
        assert items["missing"].tolist() == ["attendance, plan, signature"]
        counts = reports.backlog_by_clinician(db, utc(3, 12))
        assert counts["total"].tolist() == [1]
        assert reports.backlog_items(db, utc(4, 12)).empty  # withdrawn since


def test_an_earlier_session_cancelled_later_moves_the_first_visit_from_that_instant(
        tp, tmp_path):
    created = tp.clock()
    first = tp.create()  # Monday 1 June
    second = tp.create(start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
    client = tp.clients[0]
    assert first_visits(tp) == [(client, created, None, first)]
    tp.clock.set(utc(4, 9))
    tp.practice.cancel(tp.ann, first, tp.version(first), reason="client_illness")
    assert first_visits(tp) == [(client, created, utc(4, 9), first),
                                (client, utc(4, 9), None, second)]
    with reading(tp, tmp_path) as db:
        then = reports.session_facts_as_of(db, utc(3, 12))
        assert dict(zip(then["event_id"], then["first_visit"], strict=True)) == {
            first: True, second: False}
        later = reports.session_facts_as_of(db, utc(4, 12))
        assert dict(zip(later["event_id"], later["first_visit"], strict=True)) == {second: True}
        for at, first_visits_then in ((utc(3, 12), 1), (utc(4, 12), 1)):
            visit = reports.attendance_breakdowns(db, "2026-06-01", "2026-06-30",
                                                  as_of=at)["visit"]
            assert visit.loc[visit["first_visit"], "sessions"].sum() == first_visits_then
        repeat = reports.attendance_breakdowns(db, "2026-06-01", "2026-06-30",
                                               as_of=utc(3, 12))["visit"]
        assert repeat.loc[~repeat["first_visit"], "sessions"].sum() == 1  # the 8 June one


def test_first_visits_moved_twice_at_one_instant_keep_one_open_row(tp):
    """A frozen clock: the move and its undoing at the same instant leave no row valid for no
    time and exactly one open row."""
    created = tp.clock()
    first = tp.create()
    second = tp.create(start=datetime(2026, 6, 8, 10, 0), end=datetime(2026, 6, 8, 10, 50))
    p = tp.practice
    tp.clock.set(utc(2, 9))
    p.reschedule(tp.ann, first, tp.version(first), datetime(2026, 6, 9, 10, 0),
                 datetime(2026, 6, 9, 10, 50))
    p.reschedule(tp.ann, first, tp.version(first), datetime(2026, 6, 1, 10, 0),
                 datetime(2026, 6, 1, 10, 50))
    assert first_visits(tp) == [(tp.clients[0], created, utc(2, 9), first),
                                (tp.clients[0], utc(2, 9), None, first)]
    assert second not in [r[3] for r in first_visits(tp)]


def test_an_indirect_status_changed_back_and_forth_reads_right_at_each_instant(tp, tmp_path):
    """Completed -> In progress -> Completed: each instant shows its status, and the note is
    complete from its signature on."""
    p = tp.practice
    e = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False)  # ends 09:50 UTC
    tp.clock.set(utc(1, 9, 55))
    v = p.save_plan(tp.ann, e, tp.version(e), "Case review")
    v = p.record_status(tp.ann, e, v, "completed")
    tp.clock.set(utc(1, 10))
    v = p.sign(tp.ann, e, v)
    tp.clock.set(utc(1, 11))
    v = p.record_status(tp.ann, e, v, "in_progress")
    tp.clock.set(utc(1, 12))
    p.record_status(tp.ann, e, v, "completed")
    with reading(tp, tmp_path) as db:
        seen = {}
        for at in (utc(1, 9, 57), utc(1, 10, 30), utc(1, 11, 30), utc(1, 12, 30)):
            facts = reports.session_facts_as_of(db, at)
            seen[at.time().isoformat("minutes")] = (
                facts["status"].tolist(),
                [None if pd.isna(t) else t for t in facts["completed_at"]],
                reports.completion_by_week(db, "2026-06-01", "2026-06-07",
                                           as_of=at)["complete"].tolist())
        assert seen == {
            "09:57": (["completed"], [None], [0]),
            "10:30": (["completed"], [utc(1, 10)], [1]),
            "11:30": (["in_progress"], [utc(1, 10)], [1]),
            "12:30": (["completed"], [utc(1, 10)], [1]),
        }


def test_without_a_later_change_an_as_of_report_reads_the_tables(tp, tmp_path):
    e = tp.create()
    tp.clock.set(utc(2, 9))
    tp.practice.save_plan(tp.ann, e, tp.version(e), "Plan")
    with reading(tp, tmp_path) as db:
        assert not reads_history(db, utc(2, 9))
        assert reads_history(db, utc(2, 8, 59))
