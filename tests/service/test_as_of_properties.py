"""A report as of a past instant equals the report taken at that instant, row for row.

Hypothesis drives random sequences of use cases (book, plan, mark, set a status, sign, amend,
move, change clients, cancel) with a clock that advances by random steps (sometimes none),
takes every report at some of the instants between them and keeps the frames, then takes each
report again at the end "as of" each of those instants. Runs on DuckDB and PostgreSQL (whose
reports read a DuckDB copy, as ``thera report`` does).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from tests.factories import START_OF_TESTS, make_practice
from tests.factories import TestPractice as TP
from tests.service.history_support import reading
from thera_analytics import reports
from thera_analytics.domain.errors import PracticeError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.reports.source import Source, reads_history

FIRST, LAST = "2026-06-01", "2026-06-14"
ATTENDANCE = ("attended", "cancelled", "late_cancellation", "no_show", "non_billable")
STATUS = ("completed", "in_progress", "on_hold")
ACTIONS = ("book", "book", "plan", "mark", "status", "sign", "sign", "amend", "move",
           "clients", "cancel")

STEP = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(0, 40),  # which event / day / value
    st.integers(0, 40),
    st.sampled_from([0, 0, 10, 45, 90, 240, 600, 1500]),  # minutes the clock moves first
)


def every_report(db: Source, at: datetime) -> dict[str, pd.DataFrame]:
    """Each report function's frame as of ``at``."""
    frames = {
        "backlog_items": reports.backlog_items(db, at),
        "backlog_by_clinician": reports.backlog_by_clinician(db, at),
        "backlog_trend": reports.backlog_trend(db, FIRST, LAST, as_of=at),
        "signing_times": reports.signing_times(db, FIRST, LAST, as_of=at),
        "signing_delays": reports.signing_delay_distribution(db, FIRST, LAST, as_of=at),
        "amendable_notes": reports.amendable_notes(db, at),
        "completion_by_week": reports.completion_by_week(db, FIRST, LAST, as_of=at),
        "completion_summary": reports.completion_summary(db, FIRST, LAST, as_of=at),
        "attendance": reports.attendance_long(
            reports.attendance_breakdowns(db, FIRST, LAST, as_of=at)),
        "attendance_trend": reports.attendance_trend(db, FIRST, LAST, as_of=at),
        "billing": reports.billing_summary(db, FIRST, LAST, as_of=at),
        "clinician_time": reports.clinician_time(db, FIRST, LAST, as_of=at),
        "session_facts": reports.session_facts_as_of(db, at),
    }
    summary = reports.backlog_summary(db, FIRST, LAST, as_of=at)
    frames["backlog_summary"] = pd.DataFrame([summary.figures()])
    return frames


class Driver:
    """Applies one random step to the practice through its use cases."""

    def __init__(self, tp: TP) -> None:
        self.tp = tp
        self.events: list[int] = []

    def apply(self, action: str, a: int, b: int) -> None:
        tp, p = self.tp, self.tp.practice
        if action == "book" or not self.events:
            day, hour = 1 + a % 7, 7 + b % 10
            start = datetime(2026, 6, day, hour, 0)
            kind = (EventKind.CLIENT_SESSION, EventKind.GROUP_SESSION,
                    EventKind.CLIENT_TEAM_MEETING)[a % 3]
            details = tp.details(start=start, end=start + timedelta(minutes=50), kind=kind,
                                 direct=kind is not EventKind.CLIENT_TEAM_MEETING,
                                 client_ids=tuple(tp.clients[:2]) if a % 3 == 1
                                 else (tp.clients[b % 3],))
            self.events.append(p.create_event(tp.ann, details, allow_overlap=True)[0])
            return
        e = self.events[a % len(self.events)]
        v = tp.version(e)
        record = p.event(tp.ann, e)
        if action in ("plan", "amend"):
            p.save_plan(tp.ann, e, v, f"plan {b}")
        elif action == "mark":
            marks = {c.client_id: ATTENDANCE[(b + i) % 5] for i, c in enumerate(record.clients)}
            p.record_attendance(tp.ann, e, v, marks,
                                {c: "forgot" for c, m in marks.items()
                                 if m in ("cancelled", "late_cancellation")})
        elif action == "status":
            p.record_status(tp.ann, e, v, STATUS[b % 3])
        elif action == "sign":
            p.sign(tp.ann, e, v)
        elif action == "move":
            start = datetime(2026, 6, 1 + b % 7, 7 + a % 10, 30)
            p.reschedule(tp.ann, e, v, start, start + timedelta(minutes=50), allow_overlap=True)
        elif action == "clients":
            base = tp.details(start=record.start, end=record.end, kind=record.kind,
                              direct=record.direct)
            p.update_details(tp.ann, e, v, replace(base, client_ids=(tp.clients[b % 3],)),
                             allow_overlap=True)
        elif action == "cancel":
            p.cancel(tp.ann, e, v, reason="client_illness")


def _practice(engine: str, request: pytest.FixtureRequest) -> tuple[TP, str | None]:
    if engine == "duckdb":
        return make_practice(":memory:", START_OF_TESTS), None
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database(template=cluster.template)
    return make_practice(url, START_OF_TESTS), url


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=3, max_size=14),
       looks=st.sets(st.integers(0, 13), min_size=1, max_size=3))
def test_reports_as_of_an_instant_equal_the_reports_taken_then(engine, request, tmp_path,
                                                               steps, looks):
    tp, url = _practice(engine, request)
    folder = Path(tmp_path) / f"copies-{id(steps)}"
    driver = Driver(tp)
    taken: dict[datetime, dict[str, pd.DataFrame]] = {}
    try:
        for i, (action, a, b, minutes) in enumerate(steps):
            tp.clock.advance(timedelta(minutes=minutes))
            try:
                driver.apply(action, a, b)
            except PracticeError:
                pass  # refused by the rules: nothing written
            if i in looks or i == len(steps) - 1:
                at = tp.clock()
                with reading(tp, folder) as db:
                    assert not reads_history(db, at)  # taken from the tables as they are
                    taken[at] = every_report(db, at)
                # A report taken at an instant sees every change made at it; the next change
                # comes after the report (changes between two looks may share an instant).
                tp.clock.advance(timedelta(seconds=1))
        tp.clock.advance(timedelta(days=30))
        with reading(tp, folder) as db:
            for at, then in taken.items():
                later = every_report(db, at)
                for name, frame in then.items():
                    pd.testing.assert_frame_equal(
                        later[name], frame, obj=f"{name} as of {at.isoformat()}")
    finally:
        tp.db.close()
        if url is not None:
            request.getfixturevalue("pg_cluster").drop_database(url)
